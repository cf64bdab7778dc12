// `npm start` will run the demo site with the widget and a local lead server. Until the widget
// and the server exist, it says so plainly and shows what can be run today.
const lines = [
  'intake-chat: the demo site arrives with the widget and the lead server (issues 3, 4 and 6).',
  '',
  'What works today:',
  '  npm test                                        type-check, lint and every test',
  '  npx intake-chat-flow check my-flow.json         validate a flow file',
  '  npx intake-chat-flow graph my-flow.json         draw a flow as a Mermaid diagram',
  '  npx intake-chat-flow init my-flow.json          start from the default IOP intake',
];
console.log(lines.join('\n'));
