// Vite bundles plain CSS imports into console.css, beside console.js.
declare module '*.css' {}
