#pragma once
// Wake-ups of other threads held back while this thread hands over many answers in a row.
//
// The group committer answers a whole batch after its commit; waking a connection's IO thread
// for the first answer let that thread take the CPU from the committer (the thread every write
// waits for) and take that one answer alone, and the next answer woke it again. While a
// HeldWakes is open on a thread, wake() keeps what it is given and runs it when the outermost
// one closes, so an IO thread is woken once for all the answers of a batch it has.
#include <functional>

namespace o4o::core {

class HeldWakes {
 public:
  HeldWakes();
  ~HeldWakes();  // runs what was held, once the outermost closes
  HeldWakes(const HeldWakes&) = delete;
  HeldWakes& operator=(const HeldWakes&) = delete;

  // Runs f now, or when the HeldWakes open on this thread closes (which ignores its exceptions).
  static void wake(std::function<void()> f);
};

}  // namespace o4o::core
