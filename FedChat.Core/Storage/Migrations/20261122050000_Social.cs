using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FedChat.Core.Storage.Migrations
{
    /// <summary>
    /// Direct messages, replies and edits: who may see a post, what it answers, and when it was edited.
    /// Hand-written, see <see cref="InitialCreate"/>.
    /// </summary>
    [DbContext(typeof(FedChatDbContext))]
    [Migration("20261122050000_Social")]
    public partial class Social : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "Posts", "RemotePosts" })
            {
                migrationBuilder.AddColumn<string>(name: "Audience", table: table, type: "TEXT", nullable: true);
                migrationBuilder.AddColumn<string>(name: "InReplyTo", table: table, type: "TEXT", nullable: true);
                migrationBuilder.AddColumn<long>(name: "EditedAt", table: table, type: "INTEGER", nullable: true);
                migrationBuilder.CreateIndex(name: $"IX_{table}_InReplyTo", table: table, column: "InReplyTo");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "Posts", "RemotePosts" })
            {
                migrationBuilder.DropIndex(name: $"IX_{table}_InReplyTo", table: table);
                migrationBuilder.DropColumn(name: "Audience", table: table);
                migrationBuilder.DropColumn(name: "InReplyTo", table: table);
                migrationBuilder.DropColumn(name: "EditedAt", table: table);
            }
        }
    }
}
