import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Page, Post, Product, Project } from '../api/types';
import { crowdfundingApi, crowdfundingKeys, type ProjectFilters } from '../api/crowdfunding';
import { ecommerceApi, ecommerceKeys, type ProductFilters } from '../api/ecommerce';
import { forumApi, forumKeys, type PostFilters } from '../api/forum';
import { useT } from '../i18n';
import { useServiceEnabled, useTitle } from '../hooks';
import { Empty, ErrorBox, Loading } from '../components/ui';
import { ProjectCard } from './crowdfunding/ProjectCard';
import { ProductCard } from './shop/ProductCard';
import { PostRow } from './forum/PostRow';

function Section<T>({ title, to, query, render, grid }: { title: string; to: string; query: { isPending: boolean; error: unknown; data?: Page<T>; refetch: () => unknown }; render: (item: T) => ReactNode; grid: string }) {
  const t = useT();
  useTitle(null);
  return (
    <section className="mt-10" aria-label={title}>
      <div className="mb-4 flex items-baseline justify-between">
        <h2 className="text-xl font-bold tracking-tight">{title}</h2>
        <Link to={to} className="text-sm font-semibold text-indigo-700 hover:underline">
          {t('common.seeAll')} →
        </Link>
      </div>
      {query.isPending ? <Loading /> : query.error ? <ErrorBox error={query.error} onRetry={() => query.refetch()} /> : query.data && query.data.items.length ? <div className={grid}>{query.data.items.map(render)}</div> : <Empty />}
    </section>
  );
}

const homeProjects: ProjectFilters = { status: 'active', limit: 3 };

const homeProducts: ProductFilters = { sort: '-createdAt', limit: 4 };

const homePosts: PostFilters = { limit: 5 };

export function HomePage() {
  const t = useT();
  const crowd = useServiceEnabled('crowdfunding');
  const shop = useServiceEnabled('ecommerce');
  const forum = useServiceEnabled('forum');
  const projects = useQuery({ queryKey: crowdfundingKeys.projects(homeProjects), queryFn: () => crowdfundingApi.projects(homeProjects), enabled: crowd });
  const products = useQuery({ queryKey: ecommerceKeys.products(homeProducts), queryFn: () => ecommerceApi.products(homeProducts), enabled: shop });
  const posts = useQuery({ queryKey: forumKeys.posts(homePosts), queryFn: () => forumApi.posts(homePosts), enabled: forum });

  return (
    <div>
      <section className="overflow-hidden rounded-3xl bg-gradient-to-br from-indigo-600 via-indigo-700 to-violet-700 px-6 py-10 text-white shadow-lg sm:px-10 sm:py-14">
        <p className="text-sm font-semibold uppercase tracking-widest text-indigo-200">O4O Platform</p>
        <h1 className="mt-2 max-w-2xl text-3xl font-extrabold leading-tight tracking-tight sm:text-4xl">{t('home.hero')}</h1>
        <div className="mt-6 flex flex-wrap gap-3">
          {crowd && (
            <Link to="/projects" className="rounded-lg bg-white px-4 py-2 text-sm font-semibold text-indigo-700 shadow hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white">
              {t('nav.projects')}
            </Link>
          )}
          {shop && (
            <Link to="/shop" className="rounded-lg bg-white/10 px-4 py-2 text-sm font-semibold text-white ring-1 ring-white/40 hover:bg-white/20 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white">
              {t('nav.shop')}
            </Link>
          )}
          {forum && (
            <Link to="/forum" className="rounded-lg bg-white/10 px-4 py-2 text-sm font-semibold text-white ring-1 ring-white/40 hover:bg-white/20 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white">
              {t('nav.forum')}
            </Link>
          )}
        </div>
      </section>
      {crowd && <Section title={t('home.activeProjects')} to="/projects?status=active" query={projects} grid="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3" render={(p: Project) => <ProjectCard key={p.id} project={p} />} />}
      {shop && <Section title={t('home.newProducts')} to="/shop" query={products} grid="grid grid-cols-2 gap-3 sm:gap-4 md:grid-cols-4" render={(p: Product) => <ProductCard key={p.id} product={p} />} />}
      {forum && <Section title={t('home.latestPosts')} to="/forum" query={posts} grid="space-y-3" render={(p: Post) => <PostRow key={p.id} post={p} />} />}
    </div>
  );
}
