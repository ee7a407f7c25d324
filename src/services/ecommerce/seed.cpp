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

struct DemoProduct {
  const char* name;
  const char* description;
  const char* image_word;
  int64_t price;
  const char* category;
  int64_t stock;
};

constexpr std::array<DemoProduct, 12> kDemoProducts = {{
    {"유기농 녹차 티백", "제주에서 자란 찻잎으로 만든 녹차 티백 40개입.", "greentea", 12000, "식품",
     120},
    {"수제 딸기잼", "국산 딸기로 만든 무첨가 잼 300g.", "jam", 8500, "식품", 60},
    {"콜드브루 원두", "싱글 오리진 미디엄 로스트 원두 500g.", "coffee", 18900, "식품", 80},
    {"리넨 에코백", "튼튼한 리넨 소재의 데일리 에코백.", "ecobag", 15000, "생활용품", 200},
    {"대나무 칫솔 세트", "생분해되는 대나무 칫솔 4개입.", "bamboo", 9900, "생활용품", 150},
    {"천연 소이 캔들", "라벤더 향 소이왁스 캔들 200g.", "candle", 22000, "생활용품", 45},
    {"무선 이어폰", "충전 케이스가 있는 블루투스 5.3 이어폰.", "earbuds", 59000, "전자기기", 30},
    {"USB-C 고속 충전기", "65W 3포트 GaN 충전기.", "charger", 39000, "전자기기", 70},
    {"스마트 LED 스탠드", "밝기와 색온도를 조절하는 책상 스탠드.", "lamp", 45000, "전자기기", 25},
    {"한글 캘리그라피 입문서", "붓펜으로 시작하는 캘리그라피 교재.", "calligraphy", 16800, "도서",
     40},
    {"우리 동네 요리책", "O4O 커뮤니티 회원들이 모은 요리법.", "cookbook", 24000, "도서", 35},
    {"손뜨개 목도리", "울 혼방 실로 뜬 겨울 목도리.", "scarf", 32000, "패션", 20},
}};

}  // namespace

void seed(core::AppContext& ctx, const accounts::DemoAccounts& demo) {
  auto& db = ctx.db;
  const auto& clock = ctx.clock;
  const std::string& demo_user_id = demo.user_id;
  const ProductRepository products;
  const OrderRepository orders;
  const int64_t now = clock.now_ms();
  db.write([&](db::Connection& c) {
    std::vector<Product> added;
    int64_t offset = 0;
    for (const auto& d : kDemoProducts) {
      if (products.exists_named(c, d.name)) continue;
      // A millisecond apart so that the default newest-first order is stable and readable.
      const int64_t at = now + offset++;
      Product p{core::new_uuid(),
                d.name,
                d.description,
                core::demo_media_url(d.image_word),
                d.price,
                d.category,
                d.stock,
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
    order.shipping = Shipping{"홍길동", "010-1234-5678", "서울특별시 중구 세종대로 110", "04524"};
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
