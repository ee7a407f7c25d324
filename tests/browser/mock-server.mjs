// A small in-memory stand-in for build/o4o, for developing the web app and its browser tests
// before (or without) the C++ server. It follows /work/shared/API.md loosely; the real server is
// what CI tests against. Usage: node tests/browser/mock-server.mjs --port 4000 --web-root web/dist
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, extname, resolve } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, arr) => (v.startsWith('--') ? [...a, [v.slice(2), arr[i + 1]]] : a), []));
const PORT = Number(args.port ?? 4000);
const WEB_ROOT = resolve(args['web-root'] ?? 'web/dist');
const now = () => new Date().toISOString();
const db = { users: [], tokens: new Map(), refresh: new Map(), projects: [], pledges: [], products: [], orders: [], posts: [], comments: [], likes: new Set(), displays: [], streams: new Map() };

function addUser(email, password, name, role) {
  const u = { id: randomUUID(), email, password, name, role, createdAt: now(), updatedAt: now() };
  db.users.push(u);
  return u;
}
addUser(process.env.MOCK_ADMIN_EMAIL ?? 'admin@o4o.test', process.env.MOCK_ADMIN_PASSWORD ?? 'Adm1n-Browser-Pass', 'Site Admin', 'admin');
if (args.seed) seed();

const pub = (u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, createdAt: u.createdAt, updatedAt: u.updatedAt });
class E extends Error {
  constructor(status, code, message, details) {
    super(message);
    Object.assign(this, { status, code, details });
  }
}
const ok = (res, status, data) => send(res, status, { success: true, data, timestamp: now() });
function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': randomUUID() });
  res.end(JSON.stringify(body));
}
function issue(user) {
  const accessToken = `at_${randomUUID()}`;
  const refreshToken = `rt_${randomUUID()}`;
  db.tokens.set(accessToken, { userId: user.id, exp: Date.now() + 900_000 });
  db.refresh.set(refreshToken, { userId: user.id, spent: false });
  return { accessToken, refreshToken, expiresIn: 900 };
}
function auth(req, required = true) {
  const h = req.headers.authorization ?? '';
  const t = h.startsWith('Bearer ') ? db.tokens.get(h.slice(7)) : null;
  const u = t && t.exp > Date.now() ? db.users.find((x) => x.id === t.userId && !x.deleted) : null;
  if (!u && required) throw new E(401, 'UNAUTHORIZED', 'Authentication required.');
  return u ?? null;
}
const need = (cond, field, message) => {
  if (!cond) throw new E(400, 'VALIDATION_ERROR', 'Some fields are invalid.', [{ field, message }]);
};
function page(items, q) {
  const p = Number(q.get('page') ?? 1);
  const l = Number(q.get('limit') ?? 20);
  if (!(p >= 1) || !(l >= 1 && l <= 100)) throw new E(400, 'VALIDATION_ERROR', 'Bad page or limit.');
  return { items: items.slice((p - 1) * l, p * l), page: p, limit: l, total: items.length };
}
const status = (p) => (p.status === 'cancelled' ? 'cancelled' : new Date(p.deadline) > new Date() ? 'active' : p.raised >= p.goal ? 'successful' : 'failed');
const projectOut = (p) => ({ ...p, status: status(p) });
function byId(list, id) {
  const x = list.find((i) => i.id === id && !i.deleted);
  if (!x) throw new E(404, 'NOT_FOUND', 'Not found.');
  return x;
}
const postOut = (p, u) => ({ ...p, commentCount: db.comments.filter((c) => c.postId === p.id).length, likeCount: [...db.likes].filter((k) => k.endsWith(`:${p.id}`)).length, likedByMe: !!u && db.likes.has(`${u.id}:${p.id}`) });
const activeContent = (d) => d.content;
const displayOut = (d) => ({ id: d.id, name: d.name, location: d.location, status: (db.streams.get(d.id)?.size ?? 0) > 0 ? 'online' : 'offline', content: d.content, activeContent: activeContent(d), schedule: d.schedule, contentVersion: d.contentVersion, lastSeenAt: d.lastSeenAt, createdAt: d.createdAt, updatedAt: d.updatedAt });
function push(d, event = 'content') {
  for (const s of db.streams.get(d.id) ?? []) s.write(`event: ${event}\nid: ${randomUUID()}\ndata: ${JSON.stringify(displayOut(d))}\n\n`);
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const s = Buffer.concat(chunks).toString();
  if (!s) return {};
  try {
    return JSON.parse(s);
  } catch {
    throw new E(400, 'INVALID_JSON', 'The body is not valid JSON.');
  }
}

async function api(req, res, url) {
  const m = req.method;
  const path = url.pathname.replace(/^\/api\/v1/, '');
  const q = url.searchParams;
  const seg = path.split('/').filter(Boolean);
  const b = m === 'POST' || m === 'PUT' ? await body(req) : {};
  const route = (meth, re) => m === meth && re.test(path);

  if (route('GET', /^\/config$/)) return ok(res, 200, { currency: 'KRW', fractionDigits: 0, services: ['crowdfunding', 'ecommerce', 'forum', 'signage'] });
  // auth
  if (route('POST', /^\/auth\/register$/)) {
    need(typeof b.name === 'string' && b.name.trim().length >= 1 && b.name.length <= 100, 'name', 'name must be 1 to 100 characters');
    need(typeof b.email === 'string' && /.+@.+\..+/.test(b.email), 'email', 'email must be a valid address');
    need(typeof b.password === 'string' && b.password.length >= 8 && b.password.length <= 128, 'password', 'password must be 8 to 128 characters');
    need(!['password123', '12345678', 'qwerty123'].includes(b.password), 'password', 'password is too common');
    need(b.role === undefined || b.role === 'user' || b.role === 'creator', 'role', 'role must be user or creator');
    if (db.users.some((u) => !u.deleted && u.email.toLowerCase() === b.email.toLowerCase())) throw new E(409, 'EMAIL_TAKEN', 'That email is already registered.');
    const u = addUser(b.email, b.password, b.name.trim(), b.role ?? 'user');
    return ok(res, 201, { user: pub(u), ...issue(u) });
  }
  if (route('POST', /^\/auth\/login$/)) {
    const u = db.users.find((x) => !x.deleted && x.email.toLowerCase() === String(b.email ?? '').toLowerCase() && x.password === b.password);
    if (!u) throw new E(401, 'INVALID_CREDENTIALS', 'Email or password is incorrect.');
    return ok(res, 200, { user: pub(u), ...issue(u) });
  }
  if (route('POST', /^\/auth\/refresh$/)) {
    const r = db.refresh.get(b.refreshToken);
    const u = r && db.users.find((x) => x.id === r.userId && !x.deleted);
    if (!r || r.spent || !u) throw new E(401, 'UNAUTHORIZED', 'The refresh token is not valid.');
    r.spent = true;
    return ok(res, 200, issue(u));
  }
  if (route('POST', /^\/auth\/logout$/)) {
    auth(req);
    const r = db.refresh.get(b.refreshToken);
    if (r) r.spent = true;
    return ok(res, 200, null);
  }
  if (route('GET', /^\/auth\/me$/)) return ok(res, 200, pub(auth(req)));
  // users
  if (route('GET', /^\/users$/)) {
    const u = auth(req);
    if (u.role !== 'admin') throw new E(403, 'FORBIDDEN', 'Admins only.');
    const s = (q.get('q') ?? '').toLowerCase();
    return ok(res, 200, page(db.users.filter((x) => !x.deleted && (!s || x.email.toLowerCase().includes(s) || x.name.toLowerCase().includes(s))).map(pub), q));
  }
  if (seg[0] === 'users' && seg.length === 2) {
    const u = auth(req);
    const t = byId(db.users, seg[1]);
    if (u.role !== 'admin' && u.id !== t.id) throw new E(404, 'NOT_FOUND', 'Not found.');
    if (m === 'GET') return ok(res, 200, pub(t));
    if (m === 'PUT') {
      if (b.role !== undefined && u.role !== 'admin') throw new E(403, 'FORBIDDEN', 'Only admins change roles.');
      if (b.password !== undefined) {
        need(typeof b.password === 'string' && b.password.length >= 8, 'password', 'password must be 8 to 128 characters');
        if (u.role !== 'admin' && b.currentPassword !== t.password) throw new E(400, 'VALIDATION_ERROR', 'The current password is wrong.', [{ field: 'currentPassword', message: 'current password is wrong' }]);
        t.password = b.password;
        for (const r of db.refresh.values()) if (r.userId === t.id) r.spent = true;
      }
      if (b.name !== undefined) t.name = b.name;
      if (b.role !== undefined) t.role = b.role;
      t.updatedAt = now();
      return ok(res, 200, pub(t));
    }
    if (m === 'DELETE') {
      t.deleted = true;
      return ok(res, 200, null);
    }
  }
  // crowdfunding
  if (route('GET', /^\/crowdfunding\/projects$/)) {
    const s = (q.get('q') ?? '').toLowerCase();
    const list = db.projects.map(projectOut).filter((p) => (!q.get('status') || p.status === q.get('status')) && (!s || (p.title + p.description).toLowerCase().includes(s)) && (!q.get('creatorId') || p.creatorId === q.get('creatorId')));
    return ok(res, 200, page(list.reverse(), q));
  }
  if (route('POST', /^\/crowdfunding\/projects$/)) {
    const u = auth(req);
    if (u.role === 'user') throw new E(403, 'FORBIDDEN', 'Only creators can start projects.');
    need(typeof b.title === 'string' && b.title.trim(), 'title', 'title is required');
    need(Number.isInteger(b.goal) && b.goal > 0, 'goal', 'goal must be a positive integer');
    need(new Date(b.deadline) > new Date(), 'deadline', 'deadline must be in the future');
    const p = { id: randomUUID(), title: b.title, description: b.description ?? '', imageUrl: b.imageUrl ?? null, goal: b.goal, raised: 0, backerCount: 0, deadline: new Date(b.deadline).toISOString(), status: 'active', creatorId: u.id, rewards: (b.rewards ?? []).map((r) => ({ id: randomUUID(), title: r.title, description: r.description ?? '', minAmount: r.minAmount, limit: r.limit ?? null, claimed: 0 })), createdAt: now(), updatedAt: now() };
    db.projects.push(p);
    return ok(res, 201, projectOut(p));
  }
  if (seg[0] === 'crowdfunding' && seg[1] === 'projects' && seg[2]) {
    const p = byId(db.projects, seg[2]);
    if (m === 'GET' && seg.length === 3) return ok(res, 200, projectOut(p));
    const u = auth(req);
    const owner = u.role === 'admin' || u.id === p.creatorId;
    if (m === 'PUT' && seg.length === 3) {
      if (!owner) throw new E(403, 'FORBIDDEN', 'Not yours.');
      for (const k of ['title', 'description']) if (b[k] !== undefined) p[k] = b[k];
      if ((b.goal !== undefined || b.deadline !== undefined) && p.backerCount > 0) throw new E(409, 'CONFLICT', 'Goal and deadline are fixed after the first pledge.');
      if (b.goal !== undefined) p.goal = b.goal;
      if (b.deadline !== undefined) p.deadline = new Date(b.deadline).toISOString();
      p.updatedAt = now();
      return ok(res, 200, projectOut(p));
    }
    if (m === 'POST' && seg[3] === 'cancel') {
      if (!owner) throw new E(403, 'FORBIDDEN', 'Not yours.');
      p.status = 'cancelled';
      return ok(res, 200, projectOut(p));
    }
    if (m === 'POST' && seg[3] === 'fund') {
      if (status(p) !== 'active') throw new E(409, 'FUNDING_CLOSED', 'This project is not accepting pledges.');
      need(Number.isInteger(b.amount) && b.amount > 0, 'amount', 'amount must be a positive integer');
      const r = b.rewardId ? p.rewards.find((x) => x.id === b.rewardId) : null;
      if (b.rewardId) need(r, 'rewardId', 'unknown reward');
      if (r) need(b.amount >= r.minAmount, 'amount', `amount must be at least ${r.minAmount} for this reward`);
      if (r && r.limit !== null && r.claimed >= r.limit) throw new E(409, 'REWARD_UNAVAILABLE', 'This reward is sold out.');
      const pl = { id: randomUUID(), projectId: p.id, userId: u.id, amount: b.amount, rewardId: r?.id ?? null, createdAt: now() };
      db.pledges.push(pl);
      recompute(p);
      return ok(res, 201, { pledge: pl, project: projectOut(p) });
    }
    if (m === 'GET' && seg[3] === 'pledges') {
      if (!owner) throw new E(403, 'FORBIDDEN', 'Not yours.');
      return ok(res, 200, page(db.pledges.filter((x) => x.projectId === p.id), q));
    }
  }
  if (route('GET', /^\/crowdfunding\/pledges$/)) {
    const u = auth(req);
    return ok(res, 200, page(db.pledges.filter((x) => x.userId === u.id).map((x) => ({ ...x, projectTitle: byId(db.projects, x.projectId).title })).reverse(), q));
  }
  if (m === 'POST' && seg[0] === 'crowdfunding' && seg[1] === 'pledges' && seg[3] === 'cancel') {
    const u = auth(req);
    const pl = byId(db.pledges, seg[2]);
    if (pl.userId !== u.id && u.role !== 'admin') throw new E(404, 'NOT_FOUND', 'Not found.');
    const p = byId(db.projects, pl.projectId);
    if (status(p) !== 'active' || pl.status === 'cancelled') throw new E(409, 'FUNDING_CLOSED', 'Closed.');
    pl.status = 'cancelled';
    recompute(p);
    return ok(res, 200, pl);
  }
  // ecommerce
  if (route('GET', /^\/ecommerce\/categories$/)) {
    const c = {};
    for (const p of db.products.filter((x) => !x.deleted)) c[p.category] = (c[p.category] ?? 0) + 1;
    return ok(res, 200, Object.entries(c).map(([name, count]) => ({ name, count })));
  }
  if (route('GET', /^\/ecommerce\/products$/)) {
    const s = (q.get('q') ?? '').toLowerCase();
    let list = db.products.filter((p) => !p.deleted && (!q.get('category') || p.category === q.get('category')) && (!s || (p.name + p.description).toLowerCase().includes(s)));
    const sort = q.get('sort') ?? '-createdAt';
    const key = sort.replace('-', '');
    list = list.map((p, i) => ({ p, i })).sort((x, y) => (x.p[key] < y.p[key] ? -1 : x.p[key] > y.p[key] ? 1 : x.i - y.i) * (sort.startsWith('-') ? -1 : 1)).map((x) => x.p);
    return ok(res, 200, page(list, q));
  }
  if (route('POST', /^\/ecommerce\/products$/)) {
    if (auth(req).role !== 'admin') throw new E(403, 'FORBIDDEN', 'Admins only.');
    need(typeof b.name === 'string' && b.name, 'name', 'name is required');
    need(Number.isInteger(b.price) && b.price >= 0, 'price', 'price must be a non-negative integer');
    const p = { id: randomUUID(), name: b.name, description: b.description ?? '', imageUrl: b.imageUrl ?? null, price: b.price, category: b.category, stock: b.stock, createdAt: now(), updatedAt: now() };
    db.products.push(p);
    return ok(res, 201, p);
  }
  if (seg[0] === 'ecommerce' && seg[1] === 'products' && seg[2]) {
    const p = byId(db.products, seg[2]);
    if (m === 'GET') return ok(res, 200, p);
    if (auth(req).role !== 'admin') throw new E(403, 'FORBIDDEN', 'Admins only.');
    if (m === 'PUT') {
      for (const k of ['name', 'description', 'imageUrl', 'price', 'category', 'stock']) if (b[k] !== undefined) p[k] = b[k];
      return ok(res, 200, p);
    }
    if (m === 'DELETE') {
      p.deleted = true;
      return ok(res, 200, null);
    }
  }
  if (route('GET', /^\/ecommerce\/orders$/)) {
    const u = auth(req);
    return ok(res, 200, page(db.orders.filter((o) => (u.role === 'admin' ? !q.get('userId') || o.userId === q.get('userId') : o.userId === u.id)).slice().reverse(), q));
  }
  if (route('POST', /^\/ecommerce\/orders$/)) {
    const u = auth(req);
    need(Array.isArray(b.items) && b.items.length > 0, 'items', 'at least one item');
    const lines = b.items.map((it) => ({ p: byId(db.products, it.productId), quantity: it.quantity }));
    const short = lines.filter((l) => l.p.stock < l.quantity).map((l) => ({ productId: l.p.id, requested: l.quantity, available: l.p.stock }));
    if (short.length) throw new E(409, 'OUT_OF_STOCK', 'Not enough stock.', short);
    for (const l of lines) l.p.stock -= l.quantity;
    const items = lines.map((l) => ({ productId: l.p.id, name: l.p.name, unitPrice: l.p.price, quantity: l.quantity, subtotal: l.p.price * l.quantity }));
    const o = { id: randomUUID(), userId: u.id, items, total: items.reduce((n, i) => n + i.subtotal, 0), status: 'pending', shipping: b.shipping ?? null, createdAt: now(), updatedAt: now() };
    db.orders.push(o);
    return ok(res, 201, o);
  }
  if (seg[0] === 'ecommerce' && seg[1] === 'orders' && seg[2]) {
    const u = auth(req);
    const o = byId(db.orders, seg[2]);
    if (o.userId !== u.id && u.role !== 'admin') throw new E(404, 'NOT_FOUND', 'Not found.');
    if (m === 'GET') return ok(res, 200, o);
    if (m === 'POST' && seg[3] === 'cancel') {
      if (!(o.status === 'pending' || (u.role === 'admin' && o.status === 'paid'))) throw new E(409, 'INVALID_TRANSITION', 'This order can no longer be cancelled.');
      o.status = 'cancelled';
      for (const it of o.items) {
        const p = db.products.find((x) => x.id === it.productId);
        if (p) p.stock += it.quantity;
      }
      return ok(res, 200, o);
    }
    if (m === 'PUT' && seg[3] === 'status') {
      const next = { pending: ['paid'], paid: ['shipped'], shipped: ['delivered'] };
      if (!(next[o.status] ?? []).includes(b.status)) throw new E(409, 'INVALID_TRANSITION', `Cannot go from ${o.status} to ${b.status}.`);
      o.status = b.status;
      return ok(res, 200, o);
    }
  }
  // forum
  if (route('GET', /^\/forum\/categories$/)) {
    const c = {};
    for (const p of db.posts.filter((x) => !x.deleted)) c[p.category] = (c[p.category] ?? 0) + 1;
    return ok(res, 200, Object.entries(c).map(([name, count]) => ({ name, count })));
  }
  if (route('GET', /^\/forum\/posts$/)) {
    const u = auth(req, false);
    const words = (q.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    let list = db.posts.filter((p) => !p.deleted && (!q.get('category') || p.category === q.get('category')) && words.every((w) => (p.title + ' ' + p.content).toLowerCase().split(/[^\p{L}\p{N}]+/u).some((t) => t.startsWith(w))));
    list = list.slice().reverse();
    if (!words.length) list.sort((a, b2) => Number(b2.pinned) - Number(a.pinned));
    return ok(res, 200, page(list.map((p) => postOut(p, u)), q));
  }
  if (route('POST', /^\/forum\/posts$/)) {
    const u = auth(req);
    need(typeof b.title === 'string' && b.title.length >= 1 && b.title.length <= 200, 'title', 'title must be 1 to 200 characters');
    need(typeof b.content === 'string' && b.content.length >= 1, 'content', 'content is required');
    const p = { id: randomUUID(), title: b.title, content: b.content, category: b.category ?? 'general', authorId: u.id, authorName: u.name, pinned: false, locked: false, createdAt: now(), updatedAt: now() };
    db.posts.push(p);
    return ok(res, 201, postOut(p, u));
  }
  if (seg[0] === 'forum' && seg[1] === 'posts' && seg[2]) {
    const p = byId(db.posts, seg[2]);
    if (m === 'GET' && seg.length === 3) return ok(res, 200, { ...postOut(p, auth(req, false)), comments: db.comments.filter((c) => c.postId === p.id) });
    const u = auth(req);
    const mine = u.role === 'admin' || u.id === p.authorId;
    if (seg.length === 3 && m === 'PUT') {
      if (!mine) throw new E(403, 'FORBIDDEN', 'Not yours.');
      if ((b.pinned !== undefined || b.locked !== undefined) && u.role !== 'admin') throw new E(403, 'FORBIDDEN', 'Admins only.');
      for (const k of ['title', 'content', 'category', 'pinned', 'locked']) if (b[k] !== undefined) p[k] = b[k];
      p.updatedAt = now();
      return ok(res, 200, postOut(p, u));
    }
    if (seg.length === 3 && m === 'DELETE') {
      if (!mine) throw new E(403, 'FORBIDDEN', 'Not yours.');
      p.deleted = true;
      return ok(res, 200, null);
    }
    if (seg[3] === 'like') {
      if (m === 'POST') db.likes.add(`${u.id}:${p.id}`);
      else db.likes.delete(`${u.id}:${p.id}`);
      return ok(res, 200, postOut(p, u));
    }
    if (seg[3] === 'comments' && m === 'POST' && seg.length === 4) {
      if (p.locked) throw new E(409, 'CONFLICT', 'This post is locked.');
      need(typeof b.content === 'string' && b.content.length >= 1, 'content', 'content is required');
      const c = { id: randomUUID(), postId: p.id, authorId: u.id, authorName: u.name, content: b.content, createdAt: now() };
      db.comments.push(c);
      return ok(res, 201, c);
    }
    if (seg[3] === 'comments' && seg[4]) {
      const c = byId(db.comments, seg[4]);
      if (c.authorId !== u.id && u.role !== 'admin') throw new E(403, 'FORBIDDEN', 'Not yours.');
      if (m === 'PUT') {
        c.content = b.content;
        return ok(res, 200, c);
      }
      if (m === 'DELETE') {
        db.comments = db.comments.filter((x) => x !== c);
        return ok(res, 200, null);
      }
    }
  }
  // signage
  if (seg[0] === 'signage' && seg[1] === 'displays') {
    if (seg.length === 4 && seg[3] === 'stream' && m === 'GET') {
      const d = byId(db.displays, seg[2]);
      const h = req.headers.authorization ?? '';
      const tok = q.get('token') ?? (h.startsWith('Bearer ') ? h.slice(7) : '');
      if (tok !== d.token) throw new E(401, 'UNAUTHORIZED', 'Bad device token.');
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      if (!db.streams.has(d.id)) db.streams.set(d.id, new Set());
      const set = db.streams.get(d.id);
      set.add(res);
      d.lastSeenAt = now();
      res.write(`event: content\nid: ${randomUUID()}\ndata: ${JSON.stringify(displayOut(d))}\n\n`);
      const ka = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      req.on('close', () => {
        clearInterval(ka);
        set.delete(res);
      });
      return;
    }
    if (seg.length === 3 && m === 'GET') {
      const d = byId(db.displays, seg[2]);
      const h = req.headers.authorization ?? '';
      if (h === `Bearer ${d.token}`) return ok(res, 200, displayOut(d));
      if (auth(req).role !== 'admin') throw new E(403, 'FORBIDDEN', 'Admins only.');
      return ok(res, 200, displayOut(d));
    }
    const u = auth(req);
    if (u.role !== 'admin') throw new E(403, 'FORBIDDEN', 'Admins only.');
    if (seg.length === 2 && m === 'GET') return ok(res, 200, page(db.displays.filter((d) => !d.deleted).map(displayOut), q));
    if (seg.length === 2 && m === 'POST') {
      need(typeof b.name === 'string' && b.name, 'name', 'name is required');
      const d = { id: randomUUID(), name: b.name, location: b.location ?? '', content: null, schedule: null, contentVersion: 0, lastSeenAt: null, token: `dt_${randomUUID()}`, createdAt: now(), updatedAt: now() };
      db.displays.push(d);
      return ok(res, 201, { display: displayOut(d), deviceToken: d.token });
    }
    const d = byId(db.displays, seg[2]);
    if (seg.length === 3 && m === 'PUT') {
      for (const k of ['name', 'location']) if (b[k] !== undefined) d[k] = b[k];
      push(d);
      return ok(res, 200, displayOut(d));
    }
    if (seg.length === 3 && m === 'DELETE') {
      d.deleted = true;
      push(d, 'deleted');
      for (const s of db.streams.get(d.id) ?? []) s.end();
      return ok(res, 200, null);
    }
    if (seg[3] === 'token' && m === 'POST') {
      d.token = `dt_${randomUUID()}`;
      for (const s of db.streams.get(d.id) ?? []) s.end();
      return ok(res, 200, { deviceToken: d.token });
    }
    if (seg[3] === 'content' && m === 'PUT') {
      d.content = b;
      d.contentVersion++;
      d.updatedAt = now();
      push(d);
      return ok(res, 200, displayOut(d));
    }
    if (seg[3] === 'schedule' && m === 'PUT') {
      d.schedule = b;
      d.updatedAt = now();
      push(d);
      return ok(res, 200, displayOut(d));
    }
  }
  throw new E(404, 'NOT_FOUND', 'No such route.');
}

function recompute(p) {
  const live = db.pledges.filter((x) => x.projectId === p.id && x.status !== 'cancelled');
  p.raised = live.reduce((n, x) => n + x.amount, 0);
  p.backerCount = new Set(live.map((x) => x.userId)).size;
  for (const r of p.rewards) r.claimed = live.filter((x) => x.rewardId === r.id).length;
}

function seed() {
  const c = addUser('creator@example.com', 'Creator-pass-1', '김창작', 'creator');
  const day = 86_400_000;
  const mk = (title, description, goal, raised, days, imageUrl = null) => {
    const p = { id: randomUUID(), title, description, imageUrl, goal, raised: 0, backerCount: 0, deadline: new Date(Date.now() + days * day).toISOString(), status: 'active', creatorId: c.id, rewards: [{ id: randomUUID(), title: 'Early bird', description: 'First batch, 20% off', minAmount: 30000, limit: 100, claimed: 0 }, { id: randomUUID(), title: 'Supporter', description: 'Thank-you card', minAmount: 10000, limit: null, claimed: 0 }], createdAt: now(), updatedAt: now() };
    db.projects.push(p);
    for (let i = 0; i < 3; i++) db.pledges.push({ id: randomUUID(), projectId: p.id, userId: `u${i}`, amount: Math.floor(raised / 3), rewardId: null, createdAt: now() });
    recompute(p);
  };
  mk('Solar-powered camping kettle', 'Boils a liter of water with nothing but sunlight.', 5_000_000, 3_200_000, 21);
  mk('Hand-bound Korean poetry anthology', 'Fifty modern poems, letterpress printed.', 2_000_000, 2_450_000, 9);
  mk('Open-source air quality sensor', 'Measure PM2.5 at home and share it.', 8_000_000, 1_100_000, 40);
  const prod = (name, category, price, stock) => db.products.push({ id: randomUUID(), name, description: 'A well-made everyday thing.', imageUrl: null, price, category, stock, createdAt: new Date(Date.now() - db.products.length * 1000).toISOString(), updatedAt: now() });
  prod('Ceramic pour-over set', 'kitchen', 48_000, 12);
  prod('Linen apron', 'kitchen', 32_000, 30);
  prod('Walnut desk organizer', 'office', 65_000, 5);
  prod('Recycled notebook A5', 'office', 9_000, 120);
  prod('Wool beanie', 'apparel', 27_000, 0);
  const post = (title, content, category, pinned = false) => db.posts.push({ id: randomUUID(), title, content, category, authorId: c.id, authorName: c.name, pinned, locked: false, createdAt: now(), updatedAt: now() });
  post('Welcome to the O4O community', 'Introduce yourself here!', 'notice', true);
  post('서울에서 플리마켓 여는 분 계신가요?', '주말에 같이 준비해요.', 'general');
  post('Kettle prototype update #3', 'We tested the reflector in winter sun.', 'projects');
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };
async function staticFile(req, res, url) {
  let p = join(WEB_ROOT, decodeURIComponent(url.pathname));
  if (!p.startsWith(WEB_ROOT)) p = join(WEB_ROOT, 'index.html');
  try {
    if (!(await stat(p)).isFile()) throw new Error();
  } catch {
    p = join(WEB_ROOT, 'index.html');
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(p)] ?? 'application/octet-stream' });
  res.end(await readFile(p));
}

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    try {
      if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
      if (url.pathname.startsWith('/api/')) return await api(req, res, url);
      return await staticFile(req, res, url);
    } catch (e) {
      if (e instanceof E) return send(res, e.status, { success: false, error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) }, timestamp: now() });
      console.error(e);
      send(res, 500, { success: false, error: { code: 'INTERNAL_ERROR', message: 'Internal error.' }, timestamp: now() });
    }
  })
  .listen(PORT, '127.0.0.1', () => console.log(`mock o4o on http://127.0.0.1:${PORT}`));
