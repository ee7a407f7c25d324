export type Role = 'admin' | 'creator' | 'user';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  emailVerified?: boolean;
  locale?: 'ko' | 'en';
  notifyNewPledges?: boolean;
  notifyPaidOrders?: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
}

export interface AuthResult {
  user: User;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface AppConfig {
  currency: string;
  fractionDigits: number;
  services: string[];
  /** the payment provider the server uses; missing on servers without payments */
  payments?: { provider: string; clientKey: string | null } | null;
  /** the platform's IANA time zone (O4O_TIME_ZONE); null when not configured */
  timeZone?: string | null;
  /** the seller's details for the footer (O4O_BUSINESS_*); each null when not configured */
  business?: BusinessDetails | null;
}

export interface BusinessDetails {
  name: string | null;
  representative: string | null;
  registrationNumber: string | null;
  mailOrderNumber: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
}

export type ProjectStatus = 'active' | 'successful' | 'failed' | 'cancelled';

export interface Reward {
  id: string;
  title: string;
  description: string;
  minAmount: number;
  limit: number | null;
  claimed: number;
}

export interface Project {
  id: string;
  title: string;
  description: string;
  imageUrl: string | null;
  goal: number;
  raised: number;
  backerCount: number;
  deadline: string;
  status: ProjectStatus;
  creatorId: string;
  /** the creator's current name (servers before it leave it out) */
  creatorName?: string;
  rewards: Reward[];
  createdAt: string;
  updatedAt: string;
}

export type PledgePaymentStatus = 'unpaid' | 'paid' | 'refunded';

export interface Pledge {
  id: string;
  projectId: string;
  userId: string;
  amount: number;
  rewardId: string | null;
  createdAt: string;
  cancelledAt: string | null;
  paymentStatus: PledgePaymentStatus;
  /** an unpaid pledge is cancelled by the server unless paid by then; null: no limit */
  payBy: string | null;
  /** only in the backer's own list (GET /crowdfunding/pledges) */
  projectTitle?: string;
}

export interface Product {
  id: string;
  name: string;
  description: string;
  imageUrl: string | null;
  price: number;
  category: string;
  stock: number;
  createdAt: string;
  updatedAt: string;
}

export interface Category {
  name: string;
  count: number;
}

export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled';

export interface Shipping {
  name: string;
  phone: string;
  address: string;
  postalCode: string;
}

export interface OrderItem {
  productId: string;
  name: string;
  unitPrice: number;
  quantity: number;
  subtotal: number;
}

/** What an order of these lines would be now (POST /ecommerce/orders/quote): the server's prices. */
export interface OrderQuote {
  items: OrderItem[];
  total: number;
  currency: string;
}

export interface Order {
  id: string;
  userId: string;
  items: OrderItem[];
  total: number;
  status: OrderStatus;
  shipping: Shipping | null;
  createdAt: string;
  updatedAt: string;
}

export interface Post {
  id: string;
  title: string;
  content: string;
  category: string;
  authorId: string;
  authorName: string;
  commentCount: number;
  likeCount: number;
  likedByMe: boolean;
  pinned: boolean;
  locked: boolean;
  createdAt: string;
  updatedAt: string;
  comments?: Comment[];
}

/** A forum category: its slug (`name`), post count and display names per language (null: none). */
export interface ForumCategory extends Category {
  names: { ko: string | null; en: string | null };
}

export interface Comment {
  id: string;
  postId: string;
  authorId: string;
  authorName: string;
  content: string;
  createdAt: string;
  updatedAt: string;
}

export type SimpleContentType = 'text' | 'image' | 'video' | 'url' | 'html';

export interface SimpleContent {
  type: SimpleContentType;
  value: string;
  durationSeconds?: number;
}

export interface PlaylistContent {
  type: 'playlist';
  items: Content[];
}

export type Content = SimpleContent | PlaylistContent;

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface ScheduleEntry {
  days: Weekday[];
  start: string;
  end: string;
  priority: number;
  content: Content;
}

export interface Schedule {
  timezone: string;
  entries: ScheduleEntry[];
}

export interface Display {
  id: string;
  name: string;
  location: string;
  status: 'online' | 'offline';
  content: Content | null;
  activeContent: Content | null;
  schedule: Schedule | null;
  contentVersion: number;
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}
