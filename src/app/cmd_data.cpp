// Placeholder until the data command group lands (being written now; not a finished feature).
#include "app/command.hpp"
namespace af::app {
void register_data_commands(CommandContext&) {}
}  // namespace af::app
