#include "metrics/counter_follower.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace vnf::metrics {
namespace {

TEST(CounterFollower, FirstReadingCountsInFullThenGrowth) {
  CounterFollower<std::uint64_t, 2> f;
  EXPECT_EQ(f.advance(7, {10, 3}), (CounterFollower<std::uint64_t, 2>::Counters{10, 3}));
  EXPECT_EQ(f.advance(7, {15, 3}), (CounterFollower<std::uint64_t, 2>::Counters{5, 0}));
}

TEST(CounterFollower, LowerReadingCountsNothingAndIsTheNewBase) {
  CounterFollower<std::uint64_t> f;
  f.advance(1, 100);
  EXPECT_EQ(f.advance(1, 60), 0u) << "a source that lost a part counts nothing twice";
  EXPECT_EQ(f.advance(1, 70), 10u) << "growth from the lower reading on";
}

TEST(CounterFollower, FieldsAreFollowedEachOnItsOwn) {
  CounterFollower<std::uint64_t, 2> f;
  f.advance(1, {100, 100});
  EXPECT_EQ(f.advance(1, {50, 130}), (CounterFollower<std::uint64_t, 2>::Counters{0, 30}));
}

TEST(CounterFollower, AnotherSourceCountsInFull) {
  CounterFollower<std::uint64_t> f;
  f.advance(1, 100, /*epoch=*/5);
  EXPECT_EQ(f.advance(1, 40, 6), 40u) << "a new namespace's counters are all new";
  EXPECT_EQ(f.advance(1, 45, 6), 5u);
}

TEST(CounterFollower, KeysLastUntilASweepFindsThemUnused) {
  CounterFollower<std::string> f;
  f.advance("a", 10);
  f.advance("b", 10);
  f.advance("c", 10);
  f.sweep();
  f.advance("a", 12);
  f.keep("b");  // not read this time, still there
  f.sweep();
  EXPECT_EQ(f.size(), 2u);
  EXPECT_EQ(f.advance("b", 12), 2u) << "a kept key resumes from its last reading";
  EXPECT_EQ(f.advance("c", 12), 12u) << "a swept key starts again as new";
}

struct PairHash {
  std::size_t operator()(const std::pair<int, int> &k) const { return std::hash<int>{}(k.first * 31 + k.second); }
};

TEST(CounterFollower, KeepIfKeepsByPredicate) {
  CounterFollower<std::pair<int, int>, 1, PairHash> f;
  f.advance({1, 1}, 5);
  f.advance({1, 2}, 5);
  f.advance({2, 1}, 5);
  f.sweep();
  f.keep_if([](const auto &key) { return key.first == 1; });
  f.sweep();
  EXPECT_EQ(f.size(), 2u);
  EXPECT_EQ(f.advance({1, 2}, 6), 1u);
}

}  // namespace
}  // namespace vnf::metrics

namespace vnf {
namespace {

TEST(SourceReadings, EachSourceFollowsTheRuleAndUnseenOnesAreForgotten) {
  metrics::SourceReadings<2> r;
  EXPECT_EQ(r.advance(1, {10, 20}), (std::array<std::uint64_t, 2>{10, 20})) << "a new source counts in full";
  EXPECT_EQ(r.advance(1, {15, 19}), (std::array<std::uint64_t, 2>{5, 0})) << "a lower reading counts nothing";
  EXPECT_EQ(r.advance(1, {16, 25}), (std::array<std::uint64_t, 2>{1, 6})) << "and is the new base";
  EXPECT_EQ(r.advance(2, {3, 4}), (std::array<std::uint64_t, 2>{3, 4}));
  r.mark_all(false);
  r.advance(2, {3, 4});
  r.forget_unseen();
  EXPECT_EQ(r.advance(1, {16, 25}), (std::array<std::uint64_t, 2>{16, 25})) << "source 1 was forgotten";
  r.forget_unseen();  // each round starts with none seen: 2 was not advanced in this one
  EXPECT_EQ(r.advance(2, {5, 5}), (std::array<std::uint64_t, 2>{5, 5})) << "source 2 was forgotten";
  EXPECT_EQ(r.advance(1, {18, 25}), (std::array<std::uint64_t, 2>{2, 0})) << "source 1 went on";
  r.forget_unseen();
  r.mark_all(true);  // a round in which the VNF was not read: everything stays
  r.forget_unseen();
  r.forget_unseen();
  EXPECT_EQ(r.advance(1, {18, 25}), (std::array<std::uint64_t, 2>{18, 25})) << "kept one round, not two";
}

}  // namespace
}  // namespace vnf
