using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FedChat.Core.Storage.Migrations
{
    /// <summary>Relay: the path and covered servers of relayed deliveries, and the path of received ones. Hand-written, see <see cref="InitialCreate"/>.</summary>
    [DbContext(typeof(FedChatDbContext))]
    [Migration("20261122040000_Relay")]
    public partial class Relay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "RelayPath", table: "Deliveries", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "RelayCovered", table: "Deliveries", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "RelayPath", table: "ReceivedActivities", type: "TEXT", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "RelayPath", table: "Deliveries");
            migrationBuilder.DropColumn(name: "RelayCovered", table: "Deliveries");
            migrationBuilder.DropColumn(name: "RelayPath", table: "ReceivedActivities");
        }
    }
}
