/** The example's three pages. Every value from the provider is escaped: a WeChat nickname may hold HTML. */
const escapeHtml = (value) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const layout = (body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Example app</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#07c160;color:#fff;cursor:pointer}
img{width:64px;height:64px;border-radius:50%}pre{background:#f4f4f5;padding:1rem;overflow:auto}</style>
</head><body><h1>Example app</h1>${body}</body></html>`;

export function signedOutPage() {
  return layout(`<p data-testid="signed-out">You are not signed in.</p>
<form method="post" action="/login"><button type="submit">Sign in with WeChat</button></form>`);
}

export function signedInPage({ claims, userinfo }) {
  const picture = userinfo.picture ? `<img src="${escapeHtml(userinfo.picture)}" alt="">` : '';
  return layout(`${picture}
<p>Signed in as <strong data-testid="user-name">${escapeHtml(userinfo.name ?? '')}</strong>
${userinfo.preferred_username ? `(<span data-testid="user-username">${escapeHtml(userinfo.preferred_username)}</span>)` : ''}</p>
<p>WeChat openid: <code data-testid="wechat-openid">${escapeHtml(userinfo.wechat_openid ?? 'none (no WeChat account)')}</code></p>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>
<h2>id_token claims</h2><pre data-testid="id-token-claims">${escapeHtml(JSON.stringify(claims, null, 2))}</pre>
<h2>userinfo</h2><pre data-testid="userinfo">${escapeHtml(JSON.stringify(userinfo, null, 2))}</pre>`);
}

export function errorPage(message) {
  return layout(`<p role="alert" data-testid="sign-in-error">Sign-in did not complete: ${escapeHtml(message)}</p><p><a href="/">Back</a></p>`);
}

