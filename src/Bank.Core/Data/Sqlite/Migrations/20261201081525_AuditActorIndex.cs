using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bank.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditActorIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_audit_events_actor_user_id_action_at",
                table: "audit_events",
                columns: new[] { "actor_user_id", "action", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_audit_events_actor_user_id_action_at",
                table: "audit_events");
        }
    }
}
