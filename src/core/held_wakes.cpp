#include "core/held_wakes.hpp"

#include <vector>

namespace o4o::core {

namespace {
struct Held {
  int open = 0;
  std::vector<std::function<void()>> wakes;
};
thread_local Held held;
}  // namespace

HeldWakes::HeldWakes() { ++held.open; }

HeldWakes::~HeldWakes() {
  if (--held.open > 0) return;
  // A wake may itself wake another (nothing held any more: it runs at once).
  auto wakes = std::move(held.wakes);
  held.wakes.clear();
  for (auto& f : wakes) {
    try {
      f();
    } catch (...) {
      // A wake that could not even be posted (out of memory) must not take the others with it.
    }
  }
}

void HeldWakes::wake(std::function<void()> f) {
  if (held.open == 0) return f();
  held.wakes.push_back(std::move(f));
}

}  // namespace o4o::core
