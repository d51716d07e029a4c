// The demo page's own script (the site's CSP allows no inline scripts).
const widget = document.getElementById('wechat-login');
const result = document.getElementById('demo-result');

const SIGNED_IN_TEXT = { 'zh-CN': '已登录：', en: 'Signed in as ' };
const FAILED_TEXT = { 'zh-CN': '出错了：', en: 'Error: ' };

function currentLang() {
  return widget.getAttribute('lang') === 'en' ? 'en' : 'zh-CN';
}

for (const button of document.querySelectorAll('button[data-lang]')) {
  button.addEventListener('click', () => {
    widget.setAttribute('lang', button.dataset.lang);
    document.documentElement.lang = button.dataset.lang;
  });
}

// Custom-element events carry the emitted values in `detail`.
widget.addEventListener('signed-in', (event) => {
  const user = event.detail[0];
  result.textContent = `${SIGNED_IN_TEXT[currentLang()]}${user.name} (${user.email})`;
});
widget.addEventListener('error', (event) => {
  result.textContent = `${FAILED_TEXT[currentLang()]}${event.detail[0]}`;
});

// In development the server runs a WeChat simulator: link to it, as the sign-in page does.
fetch('/api/v1/pub/site')
  .then((response) => (response.ok ? response.json() : null))
  .then((body) => {
    const simulatorUrl = body?.data?.wechat?.simulatorUrl;
    if (simulatorUrl) widget.setAttribute('simulator-url', simulatorUrl);
  })
  .catch(() => {});
