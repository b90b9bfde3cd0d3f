#!/usr/bin/env node
'use strict';
// npm start: the bot on the demo tenant (or a configured tenant), with the Agents Playground when no bot identity is set.

// restify loads spdy, whose http-deceiver reads process.binding('http_parser') (DEP0111,
// restify/node-restify#1876): harmless on Node 20, but three lines of warning before any
// one-line message. Only that warning is set aside; every other is printed as Node would.
const printWarning = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.code !== 'DEP0111') for (const print of printWarning) print(warning);
});

require('../dist/index.js').main();
