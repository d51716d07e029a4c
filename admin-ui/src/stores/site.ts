import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SiteInfo } from '@wechat-login/shared';
import { FALLBACK_SITE_INFO, fetchSiteInfo } from '@/api/site';

/** Public facts about this deployment (WeChat on or off, the simulator, the placeholder email domain). */
export const useSiteStore = defineStore('site', () => {
  const info = ref<SiteInfo>(FALLBACK_SITE_INFO);
  const loaded = ref(false);
  let pendingLoad: Promise<void> | null = null;

  async function load(): Promise<void> {
    const result = await fetchSiteInfo();
    if (result.ok) info.value = result.data;
    loaded.value = true;
  }

  /** Loads once per page view; later callers share the first request. */
  function ensureLoaded(): Promise<void> {
    pendingLoad ??= load();
    return pendingLoad;
  }

  /** WeChat-created users get `{openid}@{domain}`: a label, not an address anyone reads. */
  function isPlaceholderEmail(email: string | null | undefined): boolean {
    return Boolean(email?.toLowerCase().endsWith(`@${info.value.placeholderEmailDomain.toLowerCase()}`));
  }

  return { info, loaded, ensureLoaded, isPlaceholderEmail };
});
