// console.js: the staff console at /admin, mounted into the page's #console. Everything it needs
// comes from the lead server's own origin (the page's CSP allows nothing else).
import { render } from 'preact';
// First, so each view's own stylesheet (accounts.css) comes after the shared rules it builds on.
import './console.css';
import { App } from './App.js';

const root = document.getElementById('console');
if (root) render(<App />, root);
