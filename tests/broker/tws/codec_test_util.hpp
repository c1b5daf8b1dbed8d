// Test helpers for the TWS codec tests: build payloads from field lists, print them readably.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace af::tws::testing {

// {"3","13",""} → "3\0" "13\0" "\0" (each field NUL-terminated, as on the wire).
inline std::string payload_of(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) {
    out += f;
    out.push_back('\0');
  }
  return out;
}

// "3|13|PreSubmitted|" → the same with '|' as the NUL terminator of each field except the last,
// which is terminated too: the notation of tws-protocol.md (a trailing '|' = an empty last field).
inline std::string payload_of_pipes(std::string_view pipes) {
  std::string out(pipes);
  for (char& c : out) {
    if (c == '|') c = '\0';
  }
  out.push_back('\0');
  return out;
}

// Payload → "3|13|PreSubmitted" for readable assertion messages.
inline std::string show(std::string_view payload) {
  std::string out(payload);
  if (!out.empty() && out.back() == '\0') out.pop_back();
  for (char& c : out) {
    if (c == '\0') c = '|';
  }
  return out;
}

}  // namespace af::tws::testing
