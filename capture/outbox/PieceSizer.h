#pragma once
// How big the next piece of an upload should be: about `targetSeconds` of the upload rate
// measured on the previous pieces, between `min` and `max` bytes (the hub's MaxPieceBytes).
// A piece lost to a cut costs at most that much to send again, and a piece large enough keeps
// the round trip's share small. After a cut the size is halved, and it grows back at most
// twofold per piece that went through. Pure logic: the caller measures the time.
#include <cstdint>

namespace relais::outbox {

class PieceSizer {
 public:
  struct Limits {
    int64_t min = 64 * 1024;
    int64_t max = 16 * 1024 * 1024;
    int64_t initial = 256 * 1024;  // before anything is measured
    double targetSeconds = 3.0;
  };

  PieceSizer();
  explicit PieceSizer(Limits limits);

  int64_t next() const { return size_; }
  // A piece of `bytes` went through in `seconds` (request to answer).
  void recordPiece(int64_t bytes, double seconds);
  // The link broke during a piece.
  void recordCut();
  // The hub answered 413 to a piece of `bytes`: its limit is lower.
  void recordTooLarge(int64_t bytes);
  // The measured upload rate (bytes per second), 0 before the first piece.
  double bytesPerSecond() const { return rate_; }

 private:
  int64_t clamp(int64_t bytes) const;

  Limits limits_;
  int64_t size_;
  double rate_ = 0;
};

}  // namespace relais::outbox
