#include "mail/templates.hpp"

#include <array>
#include <stdexcept>

#include "mail/mime.hpp"

namespace o4o::mail {
namespace {

// A parameter value that arrives as a name (a project's status) and is shown in the reader's
// words instead.
struct ValueWords {
  std::string_view param;
  std::string_view value;
  std::string_view words;
};

// {subject, lines of the body, label of the link (empty: no link), values in words} per
// language. "{x}" is the parameter x. Lines are paragraphs.
struct Words {
  std::string_view subject;
  std::string_view body;  // paragraphs separated by '\n'
  std::string_view link_label;
  std::array<ValueWords, 2> values{};
};

struct Template {
  std::string_view kind;
  Words ko;
  Words en;
};

constexpr std::array<Template, 13> kTemplates = {{
    {"verify_email",
     {"[{platform}] 가입을 환영합니다 — 이메일 주소를 확인해 주세요",
      "{name}님, {platform}에 오신 것을 환영합니다.\n아래 링크를 눌러 이메일 주소를 확인해 "
      "주세요. 링크는 24시간 동안 한 번만 쓸 수 있습니다.\n직접 가입하지 않으셨다면 이 메일을 "
      "무시하셔도 됩니다.",
      "이메일 주소 확인하기"},
     {"[{platform}] Welcome — please confirm your email address",
      "Hello {name}, welcome to {platform}.\nOpen the link below to confirm your email address. "
      "It works once, for 24 hours.\nIf you did not sign up, you can ignore this mail.",
      "Confirm my email address"}},
    {"password_reset",
     {"[{platform}] 비밀번호 재설정",
      "{name}님, 비밀번호 재설정을 요청하셨습니다.\n아래 링크에서 새 비밀번호를 정해 주세요. "
      "링크는 30분 동안 한 번만 쓸 수 있습니다.\n요청하지 않으셨다면 이 메일을 무시하세요. "
      "비밀번호는 바뀌지 않습니다.",
      "비밀번호 재설정하기"},
     {"[{platform}] Reset your password",
      "Hello {name}, someone asked to reset your password.\nChoose a new one at the link below. "
      "It works once, for 30 minutes.\nIf it was not you, ignore this mail: your password stays "
      "as it is.",
      "Reset my password"}},
    {"password_changed",
     {"[{platform}] 비밀번호가 변경되었습니다",
      "{name}님, 계정의 비밀번호가 방금 변경되었고 모든 기기에서 로그아웃되었습니다.\n직접 "
      "변경하지 않으셨다면 아래 링크에서 곧바로 비밀번호를 재설정해 주세요.",
      "비밀번호 재설정하기"},
     {"[{platform}] Your password was changed",
      "Hello {name}, the password of your account was just changed, and every other session was "
      "ended.\nIf this was not you, reset your password at once at the link below.",
      "Reset my password"}},
    {"email_changed",
     {"[{platform}] 이메일 주소가 변경되었습니다",
      "{name}님, 계정의 이메일 주소가 {email}(으)로 변경되었습니다.\n직접 변경하지 "
      "않으셨다면 관리자에게 바로 알려 주세요.",
      ""},
     {"[{platform}] Your email address was changed",
      "Hello {name}, the email address of your account was changed to {email}.\nIf this was not "
      "you, tell an administrator at once.",
      ""}},
    {"order_paid",
     {"[{platform}] 주문 결제가 완료되었습니다",
      "{name}님, 주문({order}) 결제 {amount}이(가) 완료되었습니다.\n감사합니다. 배송이 "
      "시작되면 다시 알려 드리겠습니다.",
      "주문 보기"},
     {"[{platform}] Your order is paid",
      "Hello {name}, your payment of {amount} for order {order} went through.\nThank you. We "
      "will write again when it ships.",
      "View my order"}},
    {"order_shipped",
     {"[{platform}] 주문이 발송되었습니다",
      "{name}님, 주문({order})이 발송되었습니다.", "주문 보기"},
     {"[{platform}] Your order has shipped", "Hello {name}, your order {order} is on its way.",
      "View my order"}},
    {"pledge_paid",
     {"[{platform}] 후원 결제가 완료되었습니다",
      "{name}님, '{title}' 프로젝트에 {amount} 후원 결제가 완료되었습니다.\n함께해 주셔서 "
      "감사합니다.",
      "프로젝트 보기"},
     {"[{platform}] Your pledge is paid",
      "Hello {name}, your pledge of {amount} to \"{title}\" is paid.\nThank you for your support.",
      "View the project"}},
    {"pledge_refunded",
     {"[{platform}] 후원금이 환불되었습니다",
      "{name}님, '{title}' 프로젝트 후원금 {amount}이(가) 환불되었습니다.", "프로젝트 보기"},
     {"[{platform}] Your pledge was refunded",
      "Hello {name}, your pledge of {amount} to \"{title}\" was refunded.", "View the project"}},
    {"project_ended",
     {"[{platform}] '{title}' 프로젝트가 종료되었습니다",
      "{name}님, '{title}' 프로젝트가 종료되었습니다. 결과: {status}.", "프로젝트 보기",
      {{{"status", "successful", "목표 달성"},
        {"status", "failed", "목표 미달, 결제된 후원금은 환불됩니다"}}}},
     {"[{platform}] \"{title}\" has ended",
      "Hello {name}, the project \"{title}\" has ended. Outcome: {status}.", "View the project",
      {{{"status", "successful", "the goal was reached"},
        {"status", "failed", "the goal was not reached; paid pledges are refunded"}}}}},
    {"creator_request_approved",
     {"[{platform}] 창작자 신청이 승인되었습니다",
      "{name}님, 창작자 신청이 승인되었습니다. 이제 프로젝트를 만들 수 있습니다.",
      "프로젝트 만들기"},
     {"[{platform}] You are now a creator",
      "Hello {name}, your request to become a creator was approved. You can now start projects.",
      "Start a project"}},
    {"creator_request_rejected",
     {"[{platform}] 창작자 신청 결과",
      "{name}님, 아쉽게도 창작자 신청이 승인되지 않았습니다.\n사유: {reason}", ""},
     {"[{platform}] About your creator request",
      "Hello {name}, your request to become a creator was not approved.\nReason: {reason}", ""}},
    {"new_pledge",
     {"[{platform}] '{title}'에 새 후원이 들어왔습니다",
      "{name}님, '{title}' 프로젝트에 {amount} 후원이 새로 들어왔습니다.\n이 알림은 프로필에서 "
      "끌 수 있습니다.",
      "프로젝트 보기"},
     {"[{platform}] New pledge to \"{title}\"",
      "Hello {name}, \"{title}\" has a new pledge of {amount}.\nYou can turn these mails off in "
      "your profile.",
      "View the project"}},
    {"paid_order_admin",
     {"[{platform}] 새 결제 주문 {order}",
      "{name}님, 주문({order})이 {amount} 결제되었습니다.\n이 알림은 프로필에서 끌 수 "
      "있습니다.",
      "주문 관리"},
     {"[{platform}] New paid order {order}",
      "Hello {name}, order {order} was paid: {amount}.\nYou can turn these mails off in your "
      "profile.",
      "Manage orders"}},
}};

std::string fill(std::string_view pattern, const Params& params, bool html) {
  std::string out;
  out.reserve(pattern.size() + 64);
  while (!pattern.empty()) {
    const auto open = pattern.find('{');
    const auto close = open == std::string_view::npos ? open : pattern.find('}', open);
    if (close == std::string_view::npos) {
      out.append(html ? html_escape(pattern) : std::string(pattern));
      break;
    }
    out.append(html ? html_escape(pattern.substr(0, open)) : std::string(pattern.substr(0, open)));
    const std::string_view key = pattern.substr(open + 1, close - open - 1);
    std::string value;
    if (key == "platform") {
      value = kPlatformName;
    } else if (auto it = params.find(key); it != params.end()) {
      value = it->second;
    }
    out.append(html ? html_escape(value) : value);
    pattern.remove_prefix(close + 1);
  }
  return out;
}

}  // namespace

Composed compose(std::string_view kind, std::string_view locale, const Params& params) {
  const Template* t = nullptr;
  for (const auto& candidate : kTemplates) {
    if (candidate.kind == kind) t = &candidate;
  }
  if (t == nullptr) throw std::invalid_argument("unknown mail kind " + std::string(kind));
  const Words& w = locale == "en" ? t->en : t->ko;
  const auto link = params.find("link");
  Params values = params;
  for (const auto& v : w.values) {
    auto it = v.param.empty() ? values.end() : values.find(v.param);
    if (it != values.end() && it->second == v.value) it->second = v.words;
  }
  const bool has_link = !w.link_label.empty() && link != params.end() && !link->second.empty();

  Composed out;
  out.subject = fill(w.subject, values, false);
  std::string html_paragraphs;
  std::string_view body = w.body;
  while (true) {
    const auto nl = body.find('\n');
    const std::string_view line = body.substr(0, nl);
    out.text += fill(line, values, false) + "\n\n";
    html_paragraphs += "<p>" + fill(line, values, true) + "</p>\n";
    if (nl == std::string_view::npos) break;
    body.remove_prefix(nl + 1);
  }
  if (has_link) {
    out.text += std::string(w.link_label) + ":\n" + link->second + "\n\n";
    html_paragraphs += "<p><a href=\"" + html_escape(link->second) +
                       "\" style=\"display:inline-block;padding:10px 16px;background:#2563eb;"
                       "color:#ffffff;text-decoration:none;border-radius:6px\">" +
                       html_escape(w.link_label) + "</a></p>\n<p style=\"color:#555;font-size:"
                       "12px\">" + html_escape(link->second) + "</p>\n";
  }
  out.text += "— " + std::string(kPlatformName) + "\n";
  out.html = "<!DOCTYPE html>\n<html lang=\"" + std::string(locale == "en" ? "en" : "ko") +
             "\"><head><meta charset=\"utf-8\"><title>" + html_escape(out.subject) +
             "</title></head>\n<body style=\"font-family:sans-serif;line-height:1.5;color:#111\">\n" +
             html_paragraphs + "<p style=\"color:#555\">— " + std::string(kPlatformName) +
             "</p>\n</body></html>\n";
  return out;
}

}  // namespace o4o::mail
