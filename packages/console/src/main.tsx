// console.js: the staff console at /admin, mounted into the page's #console. Everything it needs
// comes from the lead server's own origin (the page's CSP allows nothing else).
import { render } from 'preact';
import { App } from './App.js';
import './console.css';

const root = document.getElementById('console');
if (root) render(<App />, root);
