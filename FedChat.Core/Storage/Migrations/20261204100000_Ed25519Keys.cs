using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FedChat.Core.Storage.Migrations
{
    /// <summary>
    /// Every actor gets a third key pair, Ed25519, for <c>eddsa-jcs-2022</c> proofs. The columns are
    /// nullable because existing rows have no key yet: <see cref="Identity.KeyStore.AddMissingEd25519KeysAsync"/>
    /// makes them at start-up, leaving the RSA and P-256 keys as they are. Hand-written, see <see cref="InitialCreate"/>.
    /// </summary>
    [DbContext(typeof(FedChatDbContext))]
    [Migration("20261204100000_Ed25519Keys")]
    public partial class Ed25519Keys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "EdPublicKeyMultibase", table: "ActorKeys", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "EdPrivateKeyProtected", table: "ActorKeys", type: "TEXT", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "EdPrivateKeyProtected", table: "ActorKeys");
            migrationBuilder.DropColumn(name: "EdPublicKeyMultibase", table: "ActorKeys");
        }
    }
}
