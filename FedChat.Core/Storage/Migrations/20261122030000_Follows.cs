using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FedChat.Core.Storage.Migrations
{
    /// <summary>
    /// Federation between servers: remote actors we know, who follows whom, and posts from other
    /// servers. Hand-written, see <see cref="InitialCreate"/>.
    /// </summary>
    [DbContext(typeof(FedChatDbContext))]
    [Migration("20261122030000_Follows")]
    public partial class Follows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RemoteActors",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ActorId = table.Column<string>(type: "TEXT", nullable: false),
                    Handle = table.Column<string>(type: "TEXT", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", nullable: false),
                    Inbox = table.Column<string>(type: "TEXT", nullable: false),
                    SharedInbox = table.Column<string>(type: "TEXT", nullable: true),
                    FetchedAt = table.Column<long>(type: "INTEGER", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_RemoteActors", x => x.Id));

            migrationBuilder.CreateTable(
                name: "Follows",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FollowerId = table.Column<string>(type: "TEXT", nullable: false),
                    FolloweeId = table.Column<string>(type: "TEXT", nullable: false),
                    FollowActivityId = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_Follows", x => x.Id));

            migrationBuilder.CreateTable(
                name: "RemotePosts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ObjectId = table.Column<string>(type: "TEXT", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", nullable: false),
                    Content = table.Column<string>(type: "TEXT", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_RemotePosts", x => x.Id));

            migrationBuilder.CreateIndex(name: "IX_RemoteActors_ActorId", table: "RemoteActors", column: "ActorId", unique: true);
            migrationBuilder.CreateIndex(name: "IX_Follows_FollowerId_FolloweeId", table: "Follows", columns: ["FollowerId", "FolloweeId"], unique: true);
            migrationBuilder.CreateIndex(name: "IX_Follows_FolloweeId", table: "Follows", column: "FolloweeId");
            migrationBuilder.CreateIndex(name: "IX_RemotePosts_ObjectId", table: "RemotePosts", column: "ObjectId", unique: true);
            migrationBuilder.CreateIndex(name: "IX_RemotePosts_ActorId", table: "RemotePosts", column: "ActorId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "RemoteActors");
            migrationBuilder.DropTable(name: "Follows");
            migrationBuilder.DropTable(name: "RemotePosts");
        }
    }
}
