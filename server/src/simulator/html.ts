import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { escapeHtml } from '../http/escape-html.js';

/** The tiny HTML toolkit of the developer pages: escaping (the server's) and one page frame. */

export { escapeHtml };

const STYLE = `
body{font:15px/1.4 system-ui,sans-serif;max-width:34rem;margin:1rem auto;padding:0 1rem;color:#222;background:#f4f4f4}
h1{font-size:1.2rem}h2{font-size:1rem;margin:.2rem 0 .5rem}section{background:#fff;border-radius:8px;padding:.8rem;margin:.8rem 0;box-shadow:0 1px 2px #0002}
code{word-break:break-all;font-size:.85em}form{display:inline}button{margin:.2rem .3rem .2rem 0;padding:.4rem .7rem;
border:0;border-radius:6px;background:#07c160;color:#fff;font-size:.9rem;cursor:pointer}button.other{background:#576b95}
.muted{color:#777;font-size:.85em}.error{color:#c00}pre{white-space:pre-wrap;word-break:break-all;background:#eee;padding:.5rem}
button.deny{background:#eee;color:#222}img.avatar{width:40px;height:40px;border-radius:4px;vertical-align:middle;margin-right:.5rem}
ul.plain{padding-left:1.1rem}.stack form{display:block}.stack button{width:100%;padding:.7rem;font-size:1rem}`;

export interface HtmlPageOptions {
  /** The page's language: the developer pages are English, WeChat's own pages Chinese. */
  lang?: string;
  /**
   * Origins a form on the page may end up at. Browsers apply form-action to the redirects that
   * follow a submission too, so a form that redirects to the app's callback must name its origin.
   */
  formActionOrigins?: readonly string[];
}

/**
 * Sends a page. It sets its own CSP (the host app's may forbid inline code): no external
 * resources, inline style, images from itself (avatars), and only the one script that carries
 * this response's nonce.
 */
export function sendHtmlPage(res: Response, status: number, title: string, bodyHtml: string, script = '', options: HtmlPageOptions = {}): void {
  const nonce = randomBytes(16).toString('base64');
  const formAction = ["'self'", ...(options.formActionOrigins ?? [])].join(' ');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; script-src 'nonce-${nonce}'; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('Cache-Control', 'no-store');
  const scriptTag = script ? `<script nonce="${nonce}">${script}</script>` : '';
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="${escapeHtml(options.lang ?? 'en')}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${bodyHtml}${scriptTag}</body></html>`,
    );
}
