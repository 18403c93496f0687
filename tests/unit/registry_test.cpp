#include "metrics/registry.h"

#include <gtest/gtest.h>

namespace vnf::metrics {
namespace {

TEST(Registry, SecondRegistrationReturnsTheSameFamily) {
  Registry r;
  auto &a = r.counter("vnf_x_total", "X.");
  auto &b = r.counter("vnf_x_total", "X.");
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(r.family_count(), 1u);
  a.Add({{"k", "v"}}).Increment(2);
  EXPECT_NE(r.serialize().find("vnf_x_total{k=\"v\"} 2"), std::string::npos) << r.serialize();
}

TEST(Registry, ConflictingTypeFailsLoudly) {
  Registry r;
  r.counter("vnf_x_total", "X.");
  EXPECT_THROW(r.gauge("vnf_x_total", "X."), RegistrationConflict);
  EXPECT_THROW(r.histogram("vnf_x_total", "X."), RegistrationConflict);
}

TEST(Registry, ConflictingHelpFailsLoudly) {
  Registry r;
  r.gauge("vnf_y", "Y.");
  EXPECT_THROW(r.gauge("vnf_y", "Something else."), RegistrationConflict);
}

TEST(Registry, InvalidNameIsRejected) {
  Registry r;
  EXPECT_ANY_THROW(r.gauge("9-not a name", "Bad."));
}

}  // namespace
}  // namespace vnf::metrics
