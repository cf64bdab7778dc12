/** Nothing runs or loads on the console's page but its own script and style. */
export const consoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The console's page: an empty mount point; the script draws sign-in or the inbox. */
export function consolePage(assets: { script: string; style: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Admissions inbox</title>
<link rel="stylesheet" href="${assets.style}">
</head>
<body>
<div id="console"></div>
<script src="${assets.script}" defer></script>
</body>
</html>
`;
}
