using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FedChat.Core.Storage.Migrations
{
    /// <summary>
    /// Identity and signatures: every actor's key pairs, the signed activity JSON of each post, and the
    /// activities received from other servers with their verification record. Hand-written, see
    /// <see cref="InitialCreate"/>.
    /// </summary>
    [DbContext(typeof(FedChatDbContext))]
    [Migration("20261122020000_ActorKeysAndInbox")]
    public partial class ActorKeysAndInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "ActivityJson", table: "Posts", type: "TEXT", nullable: true);

            migrationBuilder.CreateTable(
                name: "ActorKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Owner = table.Column<string>(type: "TEXT", nullable: false),
                    RsaPublicKeyPem = table.Column<string>(type: "TEXT", nullable: false),
                    RsaPrivateKeyProtected = table.Column<string>(type: "TEXT", nullable: false),
                    EcPublicKeyPem = table.Column<string>(type: "TEXT", nullable: false),
                    EcPrivateKeyProtected = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_ActorKeys", x => x.Id));

            migrationBuilder.CreateTable(
                name: "ReceivedActivities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ActivityId = table.Column<string>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    TransportKeyId = table.Column<string>(type: "TEXT", nullable: false),
                    TransportSigner = table.Column<string>(type: "TEXT", nullable: false),
                    SignatureScheme = table.Column<string>(type: "TEXT", nullable: false),
                    ProofStatus = table.Column<string>(type: "TEXT", nullable: false),
                    ProofMethod = table.Column<string>(type: "TEXT", nullable: true),
                    ProofFailureReason = table.Column<string>(type: "TEXT", nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_ReceivedActivities", x => x.Id));

            migrationBuilder.CreateIndex(name: "IX_ActorKeys_Owner", table: "ActorKeys", column: "Owner", unique: true);
            migrationBuilder.CreateIndex(name: "IX_ReceivedActivities_ActivityId", table: "ReceivedActivities", column: "ActivityId", unique: true);
            migrationBuilder.CreateIndex(name: "IX_ReceivedActivities_ReceivedAt", table: "ReceivedActivities", column: "ReceivedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "ActorKeys");
            migrationBuilder.DropTable(name: "ReceivedActivities");
            migrationBuilder.DropColumn(name: "ActivityJson", table: "Posts");
        }
    }
}
