// Element Plus's CSS variables and base rules, once; each component brings its own CSS with it (vite.config.ts).
import 'element-plus/theme-chalk/base.css';
import './styles/cards.css';
import { createAdminApp } from './app';
import { preloadSignInPage } from './components/sign-in/sign-in-preload';

const { app, router, pinia, localeReady, prefetchLoginQrcode } = createAdminApp();
// The address as the router reads it (without the app's base path).
preloadSignInPage(router.options.history.location, { router, pinia, prefetchLoginQrcode });
void localeReady.then(() => app.mount('#app'));
