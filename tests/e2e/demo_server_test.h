// SPDX-License-Identifier: Apache-2.0
// DemoServerTest: a GoogleTest fixture that serves a copy of the seeded demo data
// (cli/demo_archive.h) with the real `custos serve`, after Prepare() has had a chance to add
// files such as DIR/custos.yaml.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "cli/demo_archive.h"
#include "e2e/custos_process.h"
#include "e2e/server_test.h"
#include "testing/temp_dir.h"

namespace custos::e2e {

class DemoServerTest : public ::testing::Test {
 protected:
  // Called with the data directory before the server starts.
  virtual void Prepare(const std::string& /*data_dir*/) {}

  void SetUp() override {
    data_ = custos::testing::CopyDemoData(dir_);
    Prepare(data_);
    std::string error;
    server_ = CustosProcess::Start(data_, &error);
    ASSERT_NE(server_, nullptr) << error;
    client_ = server_->Client();
  }

  httplib::Result Get(const std::string& path) { return client_->Get(path, server_->Auth()); }

  httplib::Result Post(const std::string& path, const std::string& body) {
    return client_->Post(path, server_->Auth(), body, "application/json");
  }

  // The JSON body of a 200 (or `status`) answer; a test failure otherwise.
  nlohmann::json Ok(const httplib::Result& res, int status = 200) {
    EXPECT_TRUE(res) << "no response";
    if (!res) {
      return nullptr;
    }
    EXPECT_EQ(res->status, status) << res->body;
    return BodyJson(res);
  }

  custos::testing::TempDir dir_;
  std::string data_;
  std::unique_ptr<CustosProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace custos::e2e
