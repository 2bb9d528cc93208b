using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FedChat.Core.Storage;

/// <summary>
/// The server's database: one SQLite file per server (see README, "Inside the database").
/// The schema is created and upgraded by the migrations in <c>Storage/Migrations</c> at start-up.
/// </summary>
public class FedChatDbContext(DbContextOptions<FedChatDbContext> options) : DbContext(options)
{
    /// <summary>Gets the local accounts.</summary>
    public DbSet<UserAccount> Users => Set<UserAccount>();

    /// <summary>Gets the posts written on this server.</summary>
    public DbSet<Post> Posts => Set<Post>();

    /// <summary>Gets the invite links.</summary>
    public DbSet<Invite> Invites => Set<Invite>();

    /// <summary>Gets the API bearer tokens (hashed).</summary>
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    /// <summary>Gets the settings the admin changed at run time.</summary>
    public DbSet<ServerSetting> Settings => Set<ServerSetting>();

    /// <summary>Gets the key pairs of users and of the instance actor.</summary>
    public DbSet<ActorKey> ActorKeys => Set<ActorKey>();

    /// <summary>Gets the activities other servers delivered here, with how they were verified.</summary>
    public DbSet<ReceivedActivity> ReceivedActivities => Set<ReceivedActivity>();

    /// <summary>Gets the inbox queue: verified activities waiting to be handled (see Federation/Inbox/InboxWorker).</summary>
    public DbSet<InboxItem> InboxQueue => Set<InboxItem>();

    /// <summary>Gets the delivery queue: one row per activity and inbox (see Federation/Delivery).</summary>
    public DbSet<OutgoingDelivery> Deliveries => Set<OutgoingDelivery>();

    /// <summary>Gets the actors on other servers that we know of.</summary>
    public DbSet<RemoteActor> RemoteActors => Set<RemoteActor>();

    /// <summary>Gets who follows whom, across servers.</summary>
    public DbSet<Follow> Follows => Set<Follow>();

    /// <summary>Gets the posts from other servers.</summary>
    public DbSet<RemotePost> RemotePosts => Set<RemotePost>();

    /// <summary>Gets the likes and boosts of posts, by users here and elsewhere.</summary>
    public DbSet<Reaction> Reactions => Set<Reaction>();

    /// <summary>Gets what is left of deleted accounts (see <see cref="DeletedAccount"/>).</summary>
    public DbSet<DeletedAccount> DeletedAccounts => Set<DeletedAccount>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type and cannot sort DateTimeOffset text, so store instants as numbers.
        // We only ever store UTC, so the numbers sort in time order.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserAccount>(user =>
        {
            user.HasIndex(u => u.Username).IsUnique();
            user.Property(u => u.Username).HasMaxLength(30);
            user.Property(u => u.DisplayName).HasMaxLength(100);
            user.Property(u => u.Bio).HasMaxLength(500);
        });
        modelBuilder.Entity<Post>(post =>
        {
            post.Property(p => p.Content).HasMaxLength(Post.MaxLength);
            post.HasIndex(p => p.CreatedAt);
            post.HasIndex(p => p.InReplyTo);
            // An archive imported twice must not bring the same post twice.
            post.HasIndex(p => p.OriginalObjectId).IsUnique();
            post.HasOne(p => p.Author).WithMany().HasForeignKey(p => p.AuthorId);
        });
        modelBuilder.Entity<Invite>(invite => invite.HasIndex(i => i.Code).IsUnique());
        modelBuilder.Entity<ApiToken>(token =>
        {
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId);
        });
        modelBuilder.Entity<DeletedAccount>(deleted =>
        {
            deleted.HasIndex(d => d.Username).IsUnique();
            deleted.HasIndex(d => d.FormerUserId).IsUnique();
            deleted.Property(d => d.Username).HasMaxLength(30);
        });
        modelBuilder.Entity<ServerSetting>().HasKey(s => s.Key);
        modelBuilder.Entity<ActorKey>().HasIndex(k => k.Owner).IsUnique();
        modelBuilder.Entity<ReceivedActivity>(activity =>
        {
            activity.HasIndex(a => a.ActivityId).IsUnique();
            activity.HasIndex(a => a.ReceivedAt);
        });
        modelBuilder.Entity<InboxItem>().ToTable("InboxQueue");
        modelBuilder.Entity<OutgoingDelivery>(delivery =>
        {
            // Enqueuing the same activity to the same inbox twice must not send it twice.
            delivery.HasIndex(d => new { d.ActivityId, d.InboxUrl }).IsUnique();
            // The worker's one question, asked all the time: which pending deliveries are due?
            delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
            // Stored as words ('Pending', 'Delivered', 'GaveUp') so the table reads well in sqlite3.
            delivery.Property(d => d.Status).HasConversion<string>();
        });
        modelBuilder.Entity<RemoteActor>().HasIndex(a => a.ActorId).IsUnique();
        modelBuilder.Entity<Follow>(follow =>
        {
            follow.HasIndex(f => new { f.FollowerId, f.FolloweeId }).IsUnique();
            follow.HasIndex(f => f.FolloweeId);
            follow.Property(f => f.State).HasConversion<string>();
        });
        modelBuilder.Entity<RemotePost>(post =>
        {
            post.HasIndex(p => p.ObjectId).IsUnique();
            post.HasIndex(p => p.ActorId);
            post.HasIndex(p => p.InReplyTo);
        });
        modelBuilder.Entity<Reaction>(reaction =>
        {
            reaction.HasIndex(r => r.ActivityId).IsUnique();
            // One like and one boost per person and post: liking twice changes nothing.
            reaction.HasIndex(r => new { r.ObjectId, r.ActorId, r.Kind }).IsUnique();
            // Home timelines ask "what did the people I follow boost?"
            reaction.HasIndex(r => r.ActorId);
            reaction.Property(r => r.Kind).HasConversion<string>();
        });
    }
}
