// Demo data for `o4o seed`: a dozen products across a few categories and one order of the demo
// user. Safe to run twice: a product is added only when none of that name exists, the order only
// when the user has none.
#include <array>

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"

#include "core/demo_media.hpp"
#include "core/ids.hpp"
#include "services/ecommerce/order_repository.hpp"
#include "services/ecommerce/product_repository.hpp"
#include "services/ecommerce/rules.hpp"

namespace o4o::services::ecommerce {
namespace {

// Each product in both languages of an install (o4o seed --locale).
struct Words {
  const char* name;
  const char* description;
  const char* category;
};

struct DemoProduct {
  Words ko, en;
  const char* image_word;
  int64_t price;
  int64_t stock;
};

constexpr std::array<DemoProduct, 12> kDemoProducts = {{
    {{"유기농 녹차 티백", "제주에서 자란 찻잎으로 만든 녹차 티백 40개입.", "식품"},
     {"Organic Green Tea Bags", "Forty green tea bags from leaves grown on Jeju.", "Food"},
     "greentea", 12000, 120},
    {{"수제 딸기잼", "국산 딸기로 만든 무첨가 잼 300g.", "식품"},
     {"Homemade Strawberry Jam", "300 g of jam from local strawberries, nothing added.", "Food"},
     "jam", 8500, 60},
    {{"콜드브루 원두", "싱글 오리진 미디엄 로스트 원두 500g.", "식품"},
     {"Cold Brew Coffee Beans", "Medium roast single-origin beans, 500 g.", "Food"}, "coffee",
     18900, 80},
    {{"리넨 에코백", "튼튼한 리넨 소재의 데일리 에코백.", "생활용품"},
     {"Linen Tote Bag", "A sturdy everyday tote bag of linen.", "Home"}, "ecobag", 15000, 200},
    {{"대나무 칫솔 세트", "생분해되는 대나무 칫솔 4개입.", "생활용품"},
     {"Bamboo Toothbrush Set", "Four biodegradable bamboo toothbrushes.", "Home"}, "bamboo", 9900,
     150},
    {{"천연 소이 캔들", "라벤더 향 소이왁스 캔들 200g.", "생활용품"},
     {"Natural Soy Candle", "A 200 g lavender soy wax candle.", "Home"}, "candle", 22000, 45},
    {{"무선 이어폰", "충전 케이스가 있는 블루투스 5.3 이어폰.", "전자기기"},
     {"Wireless Earbuds", "Bluetooth 5.3 earbuds with a charging case.", "Electronics"},
     "earbuds", 59000, 30},
    {{"USB-C 고속 충전기", "65W 3포트 GaN 충전기.", "전자기기"},
     {"USB-C Fast Charger", "A 65 W three-port GaN charger.", "Electronics"}, "charger", 39000,
     70},
    {{"스마트 LED 스탠드", "밝기와 색온도를 조절하는 책상 스탠드.", "전자기기"},
     {"Smart LED Desk Lamp", "Dimmable desk lamp with colour temperature control.",
      "Electronics"},
     "lamp", 45000, 25},
    {{"한글 캘리그라피 입문서", "붓펜으로 시작하는 캘리그라피 교재.", "도서"},
     {"Hangul Calligraphy for Beginners", "A workbook that starts you off with a brush pen.",
      "Books"},
     "calligraphy", 16800, 40},
    {{"우리 동네 요리책", "O4O 커뮤니티 회원들이 모은 요리법.", "도서"},
     {"The Community Cookbook", "Recipes collected from O4O community members.", "Books"},
     "cookbook", 24000, 35},
    {{"손뜨개 목도리", "울 혼방 실로 뜬 겨울 목도리.", "패션"},
     {"Hand-knitted Scarf", "A winter scarf knitted from a wool blend.", "Fashion"}, "scarf",
     32000, 20},
}};

}  // namespace

void seed(core::AppContext& ctx, const accounts::DemoAccounts& demo) {
  auto& db = ctx.db;
  const auto& clock = ctx.clock;
  const std::string& demo_user_id = demo.user_id;
  const ProductRepository products;
  const OrderRepository orders;
  const int64_t now = clock.now_ms();
  const bool en = accounts::DemoWords(ctx.config.seed_locale).english();
  db.write([&](db::Connection& c) {
    std::vector<Product> added;
    int64_t offset = 0;
    for (const auto& demo_product : kDemoProducts) {
      const auto& d = en ? demo_product.en : demo_product.ko;
      if (products.exists_named(c, d.name)) continue;
      // A millisecond apart so that the default newest-first order is stable and readable.
      const int64_t at = now + offset++;
      Product p{core::new_uuid(),
                d.name,
                d.description,
                core::demo_media_url(demo_product.image_word),
                demo_product.price,
                d.category,
                demo_product.stock,
                at,
                at};
      products.insert(c, p);
      added.push_back(std::move(p));
    }
    if (demo_user_id.empty() || added.size() < 2 || orders.any_of_user(c, demo_user_id)) return;
    // One pending order of the demo user, taking its stock like a real order does.
    Order order;
    order.id = core::new_uuid();
    order.user_id = demo_user_id;
    order.status = std::string(kPending);
    order.created_at = order.updated_at = now + offset;
    order.shipping = en ? Shipping{"Alex Kim", "010-1234-5678", "110 Sejong-daero, Jung-gu, Seoul",
                                   "04524"}
                        : Shipping{"홍길동", "010-1234-5678", "서울특별시 중구 세종대로 110", "04524"};
    for (std::size_t i = 0; i < 2; ++i) {
      const auto& p = added[i];
      if (!products.take_stock(c, p.id, 1, now)) continue;
      order.items.push_back({p.id, p.name, p.price, 1, p.price});
      order.total += p.price;
    }
    if (!order.items.empty()) orders.insert(c, order);
  });
}

}  // namespace o4o::services::ecommerce
