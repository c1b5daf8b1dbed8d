// Placeholder until the config command group lands (being written now; not a finished feature).
#include "app/command.hpp"
namespace af::app {
void register_config_commands(CommandContext&) {}
}  // namespace af::app
