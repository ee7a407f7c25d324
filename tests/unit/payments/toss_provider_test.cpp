// The Toss adapter against a loopback server answering as Toss's API reference says: what is sent
// (path, Basic auth, Idempotency-Key, body) and how each kind of answer is read.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>

#include "core/config.hpp"
#include "services/payments/toss_provider.hpp"
#include "support/loopback_server.hpp"

using namespace o4o;
using core::payments::ProviderCharge;
using core::payments::ProviderDecline;
using core::payments::ProviderUnavailable;
using Received = unit_test::LoopbackServer::Received;
using Reply = unit_test::LoopbackServer::Reply;
using namespace std::chrono_literals;

namespace {

std::string payment_json(const std::string& key, const std::string& order,
                         const std::string& status, int64_t total, int64_t balance) {
  boost::json::object o{{"mId", "tosspayments"}, {"paymentKey", key},    {"orderId", order},
                        {"status", status},      {"totalAmount", total}, {"balanceAmount", balance},
                        {"currency", "KRW"},     {"method", "카드"},     {"cancels", nullptr}};
  return boost::json::serialize(o);
}

std::string error_json(const std::string& code, const std::string& message) {
  return boost::json::serialize(boost::json::object{{"code", code}, {"message", message}});
}

class TossProviderTest : public ::testing::Test {
 protected:
  void serve(std::function<Reply(const Received&)> handler) {
    server_ = std::make_unique<unit_test::LoopbackServer>(std::move(handler));
    core::Config config;
    config.toss_secret_key = "test_sk_abc";
    config.toss_client_key = "test_ck_xyz";
    config.toss_api_base = server_->url("/");  // a trailing slash is tolerated
    config.payment_timeout_ms = 300;
    provider_ = services::payments::make_toss_provider(config);
  }
  std::vector<Received> received() const { return server_->received(); }

  std::unique_ptr<unit_test::LoopbackServer> server_;
  std::unique_ptr<core::payments::PaymentProvider> provider_;
};

// base64("test_sk_abc:")
constexpr const char* kAuth = "Basic dGVzdF9za19hYmM6";

}  // namespace

TEST_F(TossProviderTest, ConfirmSendsWhatTossExpectsAndReadsThePayment) {
  serve([](const Received&) {
    return Reply{.body = payment_json("pk_1", "pay-1", "DONE", 15000, 15000)};
  });
  auto result = provider_->confirm("pk_1", "pay-1", 15000, "idem-1");
  ASSERT_TRUE(std::holds_alternative<ProviderCharge>(result));
  const auto& charge = std::get<ProviderCharge>(result);
  EXPECT_EQ(charge.payment_key, "pk_1");
  EXPECT_EQ(charge.order_id, "pay-1");
  EXPECT_EQ(charge.status, "DONE");
  EXPECT_EQ(charge.total_amount, 15000);
  EXPECT_EQ(charge.balance_amount, 15000);

  auto got = received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/v1/payments/confirm");
  EXPECT_EQ(got[0].header("authorization"), kAuth);
  EXPECT_EQ(got[0].header("idempotency-key"), "idem-1");
  EXPECT_EQ(got[0].header("content-type"), "application/json");
  auto body = boost::json::parse(got[0].body).as_object();
  EXPECT_EQ(body.at("paymentKey").as_string(), "pk_1");
  EXPECT_EQ(body.at("orderId").as_string(), "pay-1");
  EXPECT_EQ(body.at("amount").as_int64(), 15000);
}

TEST_F(TossProviderTest, ADeclinedCardIsADeclineWithTossReason) {
  serve([](const Received&) {
    return Reply{.status = 403,
                 .body = error_json("REJECT_CARD_PAYMENT",
                                    "한도초과 혹은 잔액부족으로 결제에 실패했습니다.")};
  });
  auto result = provider_->confirm("pk_1", "pay-1", 15000, "idem-1");
  ASSERT_TRUE(std::holds_alternative<ProviderDecline>(result));
  EXPECT_EQ(std::get<ProviderDecline>(result).code, "REJECT_CARD_PAYMENT");
  EXPECT_EQ(std::get<ProviderDecline>(result).message,
            "한도초과 혹은 잔액부족으로 결제에 실패했습니다.");
}

TEST_F(TossProviderTest, ServerErrorsTemporaryCodesAndARefusedKeyAreUnavailableNotDeclines) {
  int status = 500;
  std::string code = "FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING";
  serve([&](const Received&) { return Reply{.status = status, .body = error_json(code, "x")}; });
  EXPECT_THROW(provider_->confirm("pk_1", "pay-1", 100, "i"), ProviderUnavailable);
  status = 400, code = "PROVIDER_ERROR";
  EXPECT_THROW(provider_->confirm("pk_1", "pay-1", 100, "i"), ProviderUnavailable);
  status = 401, code = "UNAUTHORIZED_KEY";
  EXPECT_THROW(provider_->confirm("pk_1", "pay-1", 100, "i"), ProviderUnavailable);
  status = 429, code = "TOO_MANY_REQUESTS";
  EXPECT_THROW(provider_->confirm("pk_1", "pay-1", 100, "i"), ProviderUnavailable);
}

TEST_F(TossProviderTest, AnUnreadableAnswerLeavesTheOutcomeUnknown) {
  int status = 200;
  serve([&](const Received&) { return Reply{.status = status, .body = "<html>gateway</html>"}; });
  EXPECT_THROW(provider_->confirm("pk_1", "pay-1", 100, "i"), ProviderUnavailable);
  status = 400;
  EXPECT_THROW(provider_->confirm("pk_1", "pay-1", 100, "i"), ProviderUnavailable);
}

TEST_F(TossProviderTest, ASilentTossIsUnavailableWithinTheTimeout) {
  serve([](const Received&) { return Reply{.never_answer = true}; });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(provider_->confirm("pk_1", "pay-1", 100, "i"), ProviderUnavailable);
  EXPECT_THROW(provider_->retrieve("pk_1"), ProviderUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2000ms);
}

TEST_F(TossProviderTest, AlreadyProcessedIsTheChargeWhenTossHoldsItForThisPaymentAndAmount) {
  std::string held_order = "pay-1";
  serve([&](const Received& r) {
    if (r.method == "GET") return Reply{.body = payment_json("pk_1", held_order, "DONE", 100, 100)};
    return Reply{.status = 400,
                 .body = error_json("ALREADY_PROCESSED_PAYMENT", "이미 처리된 결제 입니다.")};
  });
  auto result = provider_->confirm("pk_1", "pay-1", 100, "i");
  ASSERT_TRUE(std::holds_alternative<ProviderCharge>(result));
  EXPECT_EQ(std::get<ProviderCharge>(result).status, "DONE");
  EXPECT_EQ(received().at(1).target, "/v1/payments/pk_1");

  // The key paid for another order, or another amount: never this payment's charge.
  held_order = "pay-other";
  result = provider_->confirm("pk_1", "pay-1", 100, "i");
  ASSERT_TRUE(std::holds_alternative<ProviderDecline>(result));
  EXPECT_EQ(std::get<ProviderDecline>(result).code, "ALREADY_PROCESSED_PAYMENT");
  held_order = "pay-1";
  EXPECT_TRUE(
      std::holds_alternative<ProviderDecline>(provider_->confirm("pk_1", "pay-1", 99, "i")));
}

TEST_F(TossProviderTest, CancelSendsReasonAmountAndIdempotencyKey) {
  serve([](const Received&) {
    return Reply{.body = payment_json("pk_1", "pay-1", "PARTIAL_CANCELED", 15000, 10000)};
  });
  auto result = provider_->cancel("pk_1", 5000, "admin refund", "refund-1");
  ASSERT_TRUE(std::holds_alternative<ProviderCharge>(result));
  EXPECT_EQ(std::get<ProviderCharge>(result).balance_amount, 10000);
  auto got = received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, "/v1/payments/pk_1/cancel");
  EXPECT_EQ(got[0].header("authorization"), kAuth);
  EXPECT_EQ(got[0].header("idempotency-key"), "refund-1");
  auto body = boost::json::parse(got[0].body).as_object();
  EXPECT_EQ(body.at("cancelReason").as_string(), "admin refund");
  EXPECT_EQ(body.at("cancelAmount").as_int64(), 5000);

  provider_->cancel("pk_1", std::nullopt, "", "refund-2");  // all that is left
  body = boost::json::parse(received().at(1).body).as_object();
  EXPECT_FALSE(body.contains("cancelAmount"));
  EXPECT_FALSE(body.at("cancelReason").as_string().empty());
}

TEST_F(TossProviderTest, CancelOfAnAlreadyCancelledPaymentReturnsTossRecord) {
  serve([](const Received& r) {
    if (r.method == "GET") return Reply{.body = payment_json("pk_1", "pay-1", "CANCELED", 100, 0)};
    return Reply{.status = 400,
                 .body = error_json("ALREADY_CANCELED_PAYMENT", "이미 취소된 결제 입니다.")};
  });
  auto result = provider_->cancel("pk_1", std::nullopt, "r", "k");
  ASSERT_TRUE(std::holds_alternative<ProviderCharge>(result));
  EXPECT_EQ(std::get<ProviderCharge>(result).balance_amount, 0);
}

TEST_F(TossProviderTest, CancelRefusedIsADecline) {
  serve([](const Received&) {
    return Reply{.status = 403,
                 .body = error_json("NOT_CANCELABLE_AMOUNT", "취소 할 수 없는 금액 입니다.")};
  });
  auto result = provider_->cancel("pk_1", 1'000'000, "r", "k");
  ASSERT_TRUE(std::holds_alternative<ProviderDecline>(result));
  EXPECT_EQ(std::get<ProviderDecline>(result).code, "NOT_CANCELABLE_AMOUNT");
}

TEST_F(TossProviderTest, RetrieveReadsThePaymentAndNotFoundIsNothing) {
  serve([](const Received& r) {
    if (r.target == "/v1/payments/pk_1")
      return Reply{.body = payment_json("pk_1", "pay-1", "DONE", 100, 100)};
    return Reply{.status = 404,
                 .body = error_json("NOT_FOUND_PAYMENT", "존재하지 않는 결제 입니다.")};
  });
  auto held = provider_->retrieve("pk_1");
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->order_id, "pay-1");
  EXPECT_EQ(received().at(0).method, "GET");
  EXPECT_EQ(received().at(0).header("authorization"), kAuth);
  EXPECT_FALSE(provider_->retrieve("pk_unknown").has_value());
  EXPECT_FALSE(provider_->retrieve("").has_value());
}

TEST_F(TossProviderTest, APaymentKeyNeverLeavesItsPathSegment) {
  serve([](const Received&) {
    return Reply{.status = 404, .body = error_json("NOT_FOUND_PAYMENT", "x")};
  });
  EXPECT_FALSE(provider_->retrieve("../../v1/billing?x=1#y").has_value());
  EXPECT_FALSE(provider_->retrieve("..").has_value());
  auto got = received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].target, "/v1/payments/%2E%2E%2F%2E%2E%2Fv1%2Fbilling%3Fx%3D1%23y");
  EXPECT_EQ(got[1].target, "/v1/payments/%2E%2E");
}

TEST_F(TossProviderTest, InitiateHandsTheWidgetTheClientKey) {
  serve([](const Received&) { return Reply{}; });
  auto session = provider_->initiate({"pay-1", 100, "KRW", "Order", "http://s", "http://f"});
  EXPECT_EQ(session.client_key, "test_ck_xyz");
  EXPECT_FALSE(session.redirect_url.has_value());
  EXPECT_EQ(provider_->name(), "toss");
  EXPECT_TRUE(received().empty());
}

TEST_F(TossProviderTest, AWebhookIsAnUntrustedHintWithAStableEventId) {
  serve([](const Received&) { return Reply{}; });
  const std::string body =
      R"({"eventType":"PAYMENT_STATUS_CHANGED","createdAt":"2024-01-01T10:00:00.000000",)"
      R"("data":{"paymentKey":"pk_1","orderId":"pay-1","status":"DONE","totalAmount":100}})";
  auto event = provider_->verify_webhook({}, body);
  ASSERT_TRUE(event.has_value());
  EXPECT_FALSE(event->trusted);
  EXPECT_EQ(event->type, "payment.changed");
  EXPECT_EQ(event->payment_id, "pay-1");
  EXPECT_EQ(event->payment_key, "pk_1");
  EXPECT_EQ(event->amount, 100);
  EXPECT_TRUE(event->event_id.starts_with("toss:"));

  // The same event delivered again, formatted differently: the same id.
  const std::string again =
      R"({ "data": {"status": "DONE", "orderId": "pay-1", "paymentKey": "pk_1"},)"
      R"( "eventType": "PAYMENT_STATUS_CHANGED", "createdAt": "2024-01-01T10:00:00.000000" })";
  EXPECT_EQ(provider_->verify_webhook({}, again)->event_id, event->event_id);
  // Another change of the same payment: another id.
  const std::string later =
      R"({"eventType":"PAYMENT_STATUS_CHANGED","createdAt":"2024-01-01T10:05:00.000000",)"
      R"("data":{"paymentKey":"pk_1","orderId":"pay-1","status":"CANCELED"}})";
  EXPECT_NE(provider_->verify_webhook({}, later)->event_id, event->event_id);
  EXPECT_TRUE(received().empty());  // verifying calls nobody: the service retrieves
}

TEST_F(TossProviderTest, AMalformedWebhookIsRefused) {
  serve([](const Received&) { return Reply{}; });
  for (
      const char* body : {
          "",
          "not json",
          "[]",
          R"({"eventType":"DEPOSIT_CALLBACK","createdAt":"t","data":{"paymentKey":"k","orderId":"o","status":"DONE"}})",
          R"({"eventType":"PAYMENT_STATUS_CHANGED","data":{"paymentKey":"k","orderId":"o","status":"DONE"}})",
          R"({"eventType":"PAYMENT_STATUS_CHANGED","createdAt":"t","data":"x"})",
          R"({"eventType":"PAYMENT_STATUS_CHANGED","createdAt":"t","data":{"orderId":"o","status":"DONE"}})",
          R"({"eventType":"PAYMENT_STATUS_CHANGED","createdAt":"t","data":{"paymentKey":"k","status":"DONE"}})",
          R"({"eventType":"PAYMENT_STATUS_CHANGED","createdAt":"t","data":{"paymentKey":"k","orderId":"o"}})",
          R"({"eventType":"PAYMENT_STATUS_CHANGED","createdAt":"t","data":{"paymentKey":7,"orderId":"o","status":"DONE"}})",
      }) {
    EXPECT_FALSE(provider_->verify_webhook({}, body).has_value()) << body;
  }
}

TEST_F(TossProviderTest, AnImpossiblePaymentKeyIsDeclinedWithoutAskingToss) {
  serve([](const Received&) { return Reply{}; });
  for (const std::string& key : {std::string(), std::string(201, 'k')}) {
    auto result = provider_->confirm(key, "pay-1", 100, "confirm-pay-1-" + key);
    ASSERT_TRUE(std::holds_alternative<ProviderDecline>(result));
    EXPECT_EQ(std::get<ProviderDecline>(result).code, "INVALID_REQUEST");
  }
  EXPECT_TRUE(received().empty());
}
