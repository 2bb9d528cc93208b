using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FedChat.Core.Storage.Migrations
{
    /// <summary>Users may approve followers by hand. Hand-written, see <see cref="InitialCreate"/>.</summary>
    [DbContext(typeof(FedChatDbContext))]
    [Migration("20261122060000_FollowApproval")]
    public partial class FollowApproval : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<bool>(name: "ManuallyApprovesFollowers", table: "Users", type: "INTEGER", nullable: false, defaultValue: false);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.DropColumn(name: "ManuallyApprovesFollowers", table: "Users");
    }
}
