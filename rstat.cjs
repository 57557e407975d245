const { Redis } = require('ioredis');
(async () => { const r = new Redis('redis://127.0.0.1:6391'); const info = await r.info('commandstats'); console.log(info.split('\n').filter(l => l.startsWith('cmdstat_')).map(l => l.replace(/usec=.*$/, '')).join('\n')); r.disconnect(); })();
