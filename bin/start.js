#!/usr/bin/env node
'use strict';
// npm start: the bot on the demo tenant (or a configured tenant), with the Agents Playground when no bot identity is set.
require('../dist/index.js').main();
