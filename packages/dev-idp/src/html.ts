const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

// Inline on purpose: the machine may be offline, so no page may load anything from elsewhere.
const STYLE = `
:root { color-scheme: light dark; --accent: #4f46e5; --accent-text: #fff; --muted: #6b7280; --danger: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1rem;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: Canvas; color: CanvasText; }
main { width: 100%; max-width: 24rem; padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 15%, transparent);
  border-radius: 0.75rem; box-shadow: 0 10px 30px rgb(0 0 0 / 0.08); }
h1 { font-size: 1.375rem; margin: 0 0 0.25rem; }
p { margin: 0 0 1rem; }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase;
  color: var(--danger); margin-bottom: 1rem; }
label { display: block; font-weight: 600; margin: 1rem 0 0.25rem; }
input { width: 100%; padding: 0.625rem 0.75rem; font: inherit; border-radius: 0.5rem;
  border: 1px solid color-mix(in srgb, CanvasText 30%, transparent); background: Field; color: FieldText; }
button { width: 100%; margin-top: 1.5rem; padding: 0.625rem; font: inherit; font-weight: 600; border-radius: 0.5rem;
  border: 1px solid var(--accent); background: var(--accent); color: var(--accent-text); cursor: pointer; }
button.secondary { margin-top: 0.5rem; background: transparent; color: CanvasText;
  border-color: color-mix(in srgb, CanvasText 30%, transparent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.error { padding: 0.75rem; border-radius: 0.5rem; color: var(--danger); border: 1px solid var(--danger); margin: 1rem 0 0; }
ul { padding-left: 1.25rem; margin: 0 0 1rem; }
code { font-size: 0.875em; }
details { margin-top: 1.5rem; color: var(--muted); font-size: 0.875rem; }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · grantflow dev IdP</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="badge">Development only</div>
${body}
</main>
</body>
</html>`;
}
