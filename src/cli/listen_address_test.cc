// SPDX-License-Identifier: Apache-2.0
#include "cli/listen_address.h"

#include <gtest/gtest.h>

namespace custos::cli {
namespace {

TEST(ListenAddress, ParsesHostAndPort) {
  auto a = ParseListenAddress("127.0.0.1:8080");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  auto v6 = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  auto bare = ParseListenAddress(":9000");
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->host, "127.0.0.1");
  auto port_only = ParseListenAddress("8080");  // issue 13 item 22: loopback, not "missing port"
  ASSERT_TRUE(port_only.has_value());
  EXPECT_EQ(port_only->host, "127.0.0.1");
  EXPECT_EQ(port_only->port, 8080);
}

TEST(ListenAddress, RejectsBadValues) {
  for (const char* bad :
       {"host", "", "80x", "host:", "host:http", "host:65536", "host:-1", "::1:80"}) {
    auto a = ParseListenAddress(bad);
    EXPECT_FALSE(a.has_value()) << bad;
    if (!a.has_value()) {
      EXPECT_NE(a.error().message().find("--listen"), std::string::npos);
    }
  }
}

TEST(ListenAddress, FormatsUrls) {
  EXPECT_EQ(HttpUrl("127.0.0.1", 8080), "http://127.0.0.1:8080");
  EXPECT_EQ(HttpUrl("::1", 80), "http://[::1]:80");
}

}  // namespace
}  // namespace custos::cli
