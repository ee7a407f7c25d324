// core/app_pages: the preview tags of a shared page.
#include "core/app_pages.hpp"

#include <gtest/gtest.h>

namespace {

using namespace o4o::core;

TEST(CoreAppPages, EscapesEveryValueAndMakesPicturesAbsolute) {
  Config config;
  const ShareCard card{"A \"lamp\" <b>&</b>", "it's\n\n  bright", "/media/x.webp", "product", 4500};
  const std::string head = share_head(card, "https://o4o.kr/shop/products/1", "https://o4o.kr", config);
  EXPECT_NE(head.find("<title>A &quot;lamp&quot; &lt;b&gt;&amp;&lt;/b&gt; · O4O</title>"), std::string::npos);
  EXPECT_NE(head.find(R"(<meta property="og:description" content="it&#39;s bright" />)"), std::string::npos);
  EXPECT_NE(head.find(R"(<meta property="og:image" content="https://o4o.kr/media/x.webp" />)"), std::string::npos);
  EXPECT_NE(head.find(R"(<meta property="product:price:amount" content="4500" />)"), std::string::npos);
  EXPECT_NE(head.find(R"(<meta name="twitter:card" content="summary_large_image" />)"), std::string::npos);
  EXPECT_EQ(head.find("<b>"), std::string::npos);
}

TEST(CoreAppPages, PricesInTheCurrencysUnitsAndShortDescriptions) {
  Config config;
  config.currency = "USD";
  config.fraction_digits = 2;
  const ShareCard card{"t", std::string(300, 'a'), std::nullopt, "product", 1205};
  const std::string head = share_head(card, "u", "o", config);
  EXPECT_NE(head.find(R"(content="12.05")"), std::string::npos);
  EXPECT_NE(head.find(R"(<meta property="product:price:currency" content="USD" />)"), std::string::npos);
  EXPECT_NE(head.find("content=\"" + std::string(199, 'a') + "…\""), std::string::npos);
  EXPECT_EQ(head.find("og:image"), std::string::npos);
  const ShareCard cents{"t", "", std::nullopt, "product", 7};
  EXPECT_NE(share_head(cents, "u", "o", config).find(R"(content="0.07")"), std::string::npos);
}

}  // namespace
