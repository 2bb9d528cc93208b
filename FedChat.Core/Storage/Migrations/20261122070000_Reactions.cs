using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FedChat.Core.Storage.Migrations
{
    /// <summary>Likes and boosts (Announce) of posts. Hand-written, see <see cref="InitialCreate"/>.</summary>
    [DbContext(typeof(FedChatDbContext))]
    [Migration("20261122070000_Reactions")]
    public partial class Reactions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Reactions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", nullable: false),
                    ObjectId = table.Column<string>(type: "TEXT", nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_Reactions", x => x.Id));

            migrationBuilder.CreateIndex(name: "IX_Reactions_ActivityId", table: "Reactions", column: "ActivityId", unique: true);
            migrationBuilder.CreateIndex(name: "IX_Reactions_ObjectId_ActorId_Kind", table: "Reactions", columns: ["ObjectId", "ActorId", "Kind"], unique: true);
            migrationBuilder.CreateIndex(name: "IX_Reactions_ActorId", table: "Reactions", column: "ActorId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Reactions");
    }
}
