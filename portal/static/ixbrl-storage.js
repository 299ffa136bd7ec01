/* Served first in the ixbrl-viewer's script (portal/reading/viewer.py). The viewer keeps its
   settings (theme, language, highlighting) in localStorage and sessionStorage; the filing is shown
   in a document with an opaque origin of its own, where reading either throws and the viewer would
   stop. A storage in memory takes their place, for the page's life only: nothing is kept. */
(function () {
  "use strict";
  function memoryStorage() {
    var items = new Map();
    return {
      get length() { return items.size; },
      key: function (index) { var key = Array.from(items.keys())[index]; return key === undefined ? null : key; },
      getItem: function (key) { key = String(key); return items.has(key) ? items.get(key) : null; },
      setItem: function (key, value) { items.set(String(key), String(value)); },
      removeItem: function (key) { items.delete(String(key)); },
      clear: function () { items.clear(); }
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    try {
      void window[name].length;
    } catch (refused) {
      Object.defineProperty(window, name, {value: memoryStorage(), configurable: true});
    }
  });
})();
