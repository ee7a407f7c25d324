// The platform's terms, privacy policy and refund policy, in Korean and English. They describe
// what this platform really does (all-or-nothing funding, refunds of failed projects, accounts
// anonymised on deletion); an operator's own seller details come from the server's O4O_BUSINESS_*.
import type { Lang } from '../../i18n';

export type PolicyKind = 'terms' | 'privacy' | 'refund';
export interface Section {
  heading: string;
  body: string[];
}

// `{seller}` is the business name (or the platform's), `{email}` its contact address.
const ko: Record<PolicyKind, Section[]> = {
  terms: [
    { heading: '제1조 목적', body: ['이 약관은 {seller}(이하 "운영자")가 운영하는 O4O 플랫폼의 크라우드펀딩, 쇼핑, 커뮤니티, 디지털 사이니지 서비스를 이용하는 조건과 절차를 정합니다.'] },
    { heading: '제2조 회원', body: ['회원은 정확한 정보로 가입하고 비밀번호를 안전하게 관리해야 합니다.', '회원은 언제든 탈퇴할 수 있습니다. 탈퇴한 계정으로는 로그인할 수 없으며, 주문·후원·게시물은 이름 없이 남습니다.'] },
    { heading: '제3조 크라우드펀딩', body: ['후원은 프로젝트가 마감일까지 목표 금액을 모았을 때만 성사됩니다(모두 아니면 전무).', '목표에 이르지 못했거나 취소된 프로젝트에 결제된 후원금은 전액 환불됩니다.', '리워드의 제작과 전달은 프로젝트를 연 창작자가 책임집니다.'] },
    { heading: '제4조 주문과 결제', body: ['상품 가격과 주문 합계는 플랫폼이 계산하며, 결제는 결제대행사를 통해 이루어집니다.', '재고가 부족한 주문은 접수되지 않습니다.'] },
    { heading: '제5조 게시물', body: ['회원이 쓴 글과 댓글의 책임은 작성자에게 있습니다. 법령이나 다른 사람의 권리를 침해하는 게시물은 관리자가 삭제할 수 있습니다.'] },
    { heading: '제6조 분쟁', body: ['이 약관에 정하지 않은 사항과 분쟁은 관련 법령과 상관례에 따릅니다. 문의: {email}'] },
  ],
  privacy: [
    { heading: '1. 수집하는 개인정보', body: ['이름, 이메일, 비밀번호(복원할 수 없는 해시로만 저장), 배송지(받는 분, 연락처, 주소, 우편번호), 주문·후원·결제 기록, 접속 기록(IP 주소, 시각).'] },
    { heading: '2. 이용 목적', body: ['회원 관리와 로그인, 주문 처리와 배송, 결제와 환불, 알림 메일 발송, 부정 이용 방지.'] },
    { heading: '3. 보관 기간', body: ['탈퇴하면 계정은 즉시 익명 처리됩니다. 다만 전자상거래법에 따라 계약·청약철회 및 대금 결제 기록은 5년, 소비자 불만 처리 기록은 3년, 통신비밀보호법에 따라 접속 기록은 3개월 보관합니다.'] },
    { heading: '4. 제3자 제공과 위탁', body: ['결제에 필요한 정보(주문 번호, 금액)만 결제대행사에 제공합니다. 그 밖에는 법령에 따른 경우를 빼고 제공하지 않습니다.'] },
    { heading: '5. 이용자의 권리', body: ['프로필 페이지에서 정보를 보고 고치거나 탈퇴할 수 있습니다. 개인정보 문의: {email}'] },
  ],
  refund: [
    { heading: '상품 주문', body: ['결제 전 주문은 언제든 취소할 수 있습니다.', '결제 후 발송 전에 취소하면 결제 금액 전액을 환불합니다.', '상품을 받은 날부터 7일 이내에 청약을 철회할 수 있습니다(전자상거래법 제17조). 이용자의 책임으로 상품이 훼손된 경우 등 법에서 정한 경우는 제외됩니다.'] },
    { heading: '크라우드펀딩 후원', body: ['프로젝트가 진행 중인 동안에는 후원을 취소할 수 있고, 결제된 금액은 환불됩니다.', '목표 금액에 이르지 못했거나 취소된 프로젝트의 후원금은 자동으로 전액 환불됩니다.', '성공한 프로젝트의 후원은 마감 후 취소할 수 없습니다. 리워드 관련 문의는 창작자에게 해 주세요.'] },
    { heading: '환불 방법', body: ['환불은 결제한 수단으로 이루어지며, 카드사에 따라 영업일 기준 3~7일이 걸릴 수 있습니다. 문의: {email}'] },
  ],
};

const en: Record<PolicyKind, Section[]> = {
  terms: [
    { heading: '1. Purpose', body: ['These terms set how you may use the O4O platform run by {seller} (the "operator"): crowdfunding, the shop, the forum and digital signage.'] },
    { heading: '2. Accounts', body: ['Sign up with accurate details and keep your password safe.', 'You can delete your account at any time. It can no longer log in; your orders, pledges and posts stay, without your name.'] },
    { heading: '3. Crowdfunding', body: ['A pledge counts only if the project reaches its goal by its deadline (all-or-nothing).', 'Money paid to a project that falls short or is cancelled is refunded in full.', 'The creator who started a project is responsible for making and delivering its rewards.'] },
    { heading: '4. Orders and payment', body: ['Prices and order totals are computed by the platform; payments go through a payment provider.', 'An order is not accepted when there is not enough stock.'] },
    { heading: '5. Posts', body: ['Authors are responsible for their posts and comments. Admins may remove posts that break the law or the rights of others.'] },
    { heading: '6. Disputes', body: ['Anything these terms do not cover is governed by the applicable law. Contact: {email}'] },
  ],
  privacy: [
    { heading: '1. What we collect', body: ['Name, email, password (stored only as a hash that cannot be reversed), shipping details (recipient, phone, address, postal code), records of orders, pledges and payments, and access records (IP address, time).'] },
    { heading: '2. Why', body: ['To run your account and logins, process and ship orders, take payments and refunds, send notification mail, and prevent abuse.'] },
    { heading: '3. How long', body: ['A deleted account is anonymised at once. Records the law requires are kept: contracts, withdrawals and payments for 5 years, consumer complaints for 3 years, access records for 3 months.'] },
    { heading: '4. Sharing', body: ['Only what a payment needs (order number, amount) goes to the payment provider. Nothing else is shared unless the law requires it.'] },
    { heading: '5. Your rights', body: ['See and correct your details or delete your account on your profile page. Privacy questions: {email}'] },
  ],
  refund: [
    { heading: 'Shop orders', body: ['An order can be cancelled at any time before it is paid.', 'A paid order cancelled before it ships is refunded in full.', 'You may withdraw within 7 days of receiving the goods (Korean E-Commerce Act, art. 17), except in the cases the law sets out, such as goods damaged by the buyer.'] },
    { heading: 'Crowdfunding pledges', body: ['While a project is active you can cancel your pledge; a paid pledge is refunded.', 'Pledges to a project that falls short of its goal or is cancelled are refunded in full, automatically.', 'Pledges to a successful project cannot be cancelled after its deadline. Ask the creator about rewards.'] },
    { heading: 'How refunds are paid', body: ['Refunds go back to the payment method used; depending on the card company this can take 3 to 7 business days. Contact: {email}'] },
  ],
};

export function policy(kind: PolicyKind, lang: Lang, seller: string, email: string): Section[] {
  const fill = (s: string) => s.replaceAll('{seller}', seller).replaceAll('{email}', email);
  return (lang === 'ko' ? ko : en)[kind].map((s) => ({ heading: fill(s.heading), body: s.body.map(fill) }));
}
