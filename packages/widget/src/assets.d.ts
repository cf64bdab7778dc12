// Vite turns `?inline` CSS into a string (the shell adopts it into its shadow root) and bundles
// plain CSS imports into frame.css.
declare module '*.css?inline' {
  const css: string;
  export default css;
}
declare module '*.css' {}
