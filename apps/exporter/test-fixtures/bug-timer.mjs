// Preloaded (--import) into a muster process to stand for a bug in muster itself: code outside
// any plugin. Once muster has installed its handlers, it leaves a rejection unhandled, then
// throws from a timer after MUSTER_TEST_BUG_AFTER_MS (default 1000 ms).
const poll = setInterval(() => {
  if (process.listenerCount('uncaughtException') === 0) return;
  clearInterval(poll);
  Promise.reject(new Error('a stray rejection outside any plugin'));
  setTimeout(() => {
    throw new Error('an exception outside any plugin');
  }, Number(process.env.MUSTER_TEST_BUG_AFTER_MS ?? 1000));
}, 100);
