using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FedChat.Core.Storage.Migrations
{
    /// <summary>
    /// Own your data: imported posts keep their original Note id, accounts can say where they moved
    /// (<c>movedTo</c>) and who they also are (<c>alsoKnownAs</c>), and deleted accounts leave a small
    /// tombstone. Hand-written, see <see cref="InitialCreate"/>.
    /// </summary>
    [DbContext(typeof(FedChatDbContext))]
    [Migration("20261122080000_OwnYourData")]
    public partial class OwnYourData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "AlsoKnownAs", table: "Users", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "MovedTo", table: "Users", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "OriginalObjectId", table: "Posts", type: "TEXT", nullable: true);
            migrationBuilder.CreateIndex(name: "IX_Posts_OriginalObjectId", table: "Posts", column: "OriginalObjectId", unique: true);

            migrationBuilder.CreateTable(
                name: "DeletedAccounts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FormerUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Username = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_DeletedAccounts", x => x.Id));
            migrationBuilder.CreateIndex(name: "IX_DeletedAccounts_Username", table: "DeletedAccounts", column: "Username", unique: true);
            migrationBuilder.CreateIndex(name: "IX_DeletedAccounts_FormerUserId", table: "DeletedAccounts", column: "FormerUserId", unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "DeletedAccounts");
            migrationBuilder.DropIndex(name: "IX_Posts_OriginalObjectId", table: "Posts");
            migrationBuilder.DropColumn(name: "OriginalObjectId", table: "Posts");
            migrationBuilder.DropColumn(name: "MovedTo", table: "Users");
            migrationBuilder.DropColumn(name: "AlsoKnownAs", table: "Users");
        }
    }
}
