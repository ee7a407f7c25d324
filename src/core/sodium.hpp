#pragma once
// libsodium's one-time initialisation, shared by the random ids and the password hashing.

namespace o4o::core {

// Initialises libsodium once (any thread may come first) before its generator or hashing is used;
// throws std::runtime_error if it cannot be.
void ensure_sodium();

}  // namespace o4o::core
