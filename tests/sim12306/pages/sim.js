/* sim12306 shared page helpers (served at /otn/resources/sim/sim.js).
 * Plain ES2017, no framework. Every page loads this file in <head> and calls
 * sim.renderHeader() once the DOM is ready. Everything lives under one global `sim` so the
 * page globals that extensions look for (CLeftTicketUrl, globalRepeatSubmitToken, ...) stay
 * exactly as on the real site. */
(function () {
  'use strict';

  var FORM_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';

  /** HTML-escape any value for text or attribute context. */
  function esc(v) {
    return String(v === undefined || v === null ? '' : v)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
  }

  /** Escape a value for a single-quoted JS string literal (inside an onclick attribute,
   *  which is additionally HTML-escaped by the caller). */
  function jsStr(v) {
    return String(v === undefined || v === null ? '' : v)
      .replace(/\\/g, '\\\\')
      .replace(/'/g, "\\'")
      .replace(/\r/g, '\\r')
      .replace(/\n/g, '\\n');
  }

  /** Encode ordered [key, value] pairs like jQuery's $.param does (space as '+'), because the
   *  real pages send their form bodies through jQuery and the captures show that encoding. */
  function param(pairs) {
    return pairs
      .map(function (p) {
        return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1] === undefined || p[1] === null ? '' : p[1]).replace(/%20/g, '+');
      })
      .join('&');
  }

  /** Parse a response body as JSON; non-JSON (an HTML error or login page after a redirect)
   *  yields an object with `__html` so callers can tell "session lost / busy" apart. */
  function readBody(resp) {
    return resp.text().then(function (text) {
      var out;
      try {
        out = JSON.parse(text);
      } catch (e) {
        out = null;
      }
      if (out === null || typeof out !== 'object') {
        out = { __html: text, __status: resp.status, __url: resp.url };
      }
      return out;
    });
  }

  /** POST a form body (string, already encoded) the way the real pages' $.ajax calls do. */
  function post(url, body, extraHeaders) {
    var headers = { 'Content-Type': FORM_TYPE, 'X-Requested-With': 'XMLHttpRequest' };
    Object.keys(extraHeaders || {}).forEach(function (k) {
      headers[k] = extraHeaders[k];
    });
    return fetch(url, {
      method: 'POST',
      credentials: 'include',
      headers: headers,
      body: body === undefined ? '' : body,
    }).then(readBody);
  }

  /** GET with the XHR marker (and any extra headers, e.g. the query's no-cache pair). */
  function get(url, extraHeaders) {
    var headers = { 'X-Requested-With': 'XMLHttpRequest' };
    Object.keys(extraHeaders || {}).forEach(function (k) {
      headers[k] = extraHeaders[k];
    });
    return fetch(url, { method: 'GET', credentials: 'include', headers: headers }).then(readBody);
  }

  /** Navigate with a hidden form POST (the real site's otsRedirect), e.g. to initDc. */
  function navPost(url, fields) {
    var form = document.createElement('form');
    form.method = 'post';
    form.action = url;
    form.style.display = 'none';
    Object.keys(fields || {}).forEach(function (k) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = k;
      input.value = fields[k];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  var cookie = {
    get: function (name) {
      var parts = document.cookie ? document.cookie.split('; ') : [];
      for (var i = 0; i < parts.length; i++) {
        var eq = parts[i].indexOf('=');
        if (eq > 0 && parts[i].slice(0, eq) === name) {
          return parts[i].slice(eq + 1);
        }
      }
      return null;
    },
    /** Values are stored verbatim: callers escape() them like the real page does. */
    set: function (name, value, days) {
      var exp = new Date(Date.now() + (days || 10) * 86400000).toUTCString();
      document.cookie = name + '=' + value + '; expires=' + exp + '; path=/';
    },
  };

  /** URL query parameter (decoded), or null. */
  function query(name) {
    try {
      return new URLSearchParams(location.search).get(name);
    } catch (e) {
      return null;
    }
  }

  /** Show a message in the shared #sim_dialog (created on first use). `html` is trusted
   *  markup when `isHtml` is set (12306 messages contain links), else text. */
  function dialog(message, isHtml, title) {
    var box = document.getElementById('sim_dialog');
    if (!box) {
      box = document.createElement('div');
      box.id = 'sim_dialog';
      box.innerHTML =
        '<div class="mark"></div><div class="up-box"><div class="up-box-hd"><span class="sim-dialog-title"></span>' +
        '<a href="javascript:" class="sim-dialog-close">关闭</a></div><div class="up-box-bd">' +
        '<div class="tit sim-dialog-msg"></div><div class="lay-btn">' +
        '<a href="javascript:" class="btn92s sim-dialog-ok">确定</a></div></div></div>';
      document.body.appendChild(box);
      var close = function () {
        box.style.display = 'none';
      };
      box.querySelector('.sim-dialog-close').onclick = close;
      box.querySelector('.sim-dialog-ok').onclick = close;
    }
    box.querySelector('.sim-dialog-title').textContent = title || '温馨提示';
    var msg = box.querySelector('.sim-dialog-msg');
    if (isHtml) {
      msg.innerHTML = message;
    } else {
      msg.textContent = message;
    }
    box.style.display = 'block';
    return box;
  }

  function hideDialog() {
    var box = document.getElementById('sim_dialog');
    if (box) {
      box.style.display = 'none';
    }
  }

  /** First message of an /otn envelope, or a fallback. */
  function firstMessage(json, fallback) {
    if (json && Array.isArray(json.messages) && json.messages.length > 0) {
      return String(json.messages[0]);
    }
    if (json && typeof json.messages === 'string' && json.messages) {
      return json.messages;
    }
    return fallback;
  }

  /** login/conf, cached per page load (several widgets need it). */
  var confPromise = null;
  function loginConf() {
    if (!confPromise) {
      confPromise = post('/otn/login/conf', '').catch(function () {
        return {};
      });
    }
    return confPromise;
  }

  function headerUserHtml(data) {
    if (data && data.is_login === 'Y') {
      var name = data.name || data.user_name || '';
      return (
        '<li id="J-header-logout" class="menu-item menu-login">您好，<a id="login_user" href="/otn/view/index.html" class="colorA">' +
        '<span>' + esc(name) + '</span></a>&nbsp;|&nbsp;<a href="/otn/login/loginOut" id="J-logout">退出</a></li>'
      );
    }
    return (
      '<li id="J-header-login" class="menu-item menu-login">您好，请<a id="login_user" href="/otn/resources/login.html">登录</a>' +
      '<a id="regist_out" href="javascript:" class="ml">注册</a></li>'
    );
  }

  /** Render the 12306 header + blue nav bar into #sim_header and fill the login state.
   *  `active` is one of 'home', 'ticket', 'my'. Resolves with login/conf data. */
  function renderHeader(active) {
    var host = document.getElementById('sim_header');
    if (!host) {
      return Promise.resolve({});
    }
    var nav = function (key, href, text) {
      return (
        '<li class="nav-item' + (active === key ? ' active' : '') + '"><a class="nav-hd" href="' + href + '">' + text + '</a></li>'
      );
    };
    host.innerHTML =
      '<div class="header"><div class="wrapper"><div class="header-con">' +
      '<h1 class="logo"><a href="https://www.12306.cn/index/"><span class="logo-mark">路</span>' +
      '<span>中国铁路12306<span class="logo-en">China Railway 12306</span></span></a></h1>' +
      '<div class="header-right"><ul class="header-menu" role="menubar">' +
      '<li class="menu-item"><a href="/otn/view/index.html" class="menu-nav-hd">我的12306</a></li>' +
      '<li class="menu-item menu-line">|</li><li id="sim_user_slot" class="menu-item"></li></ul></div>' +
      '</div></div></div>' +
      '<div class="nav-box" role="navigation"><ul class="nav" role="menubar">' +
      nav('home', 'https://www.12306.cn/index/', '首页') +
      nav('ticket', '/otn/leftTicket/init?linktypeid=dc', '车票') +
      nav('order', '/otn/queryOrder/initNoComplete', '未完成订单') +
      nav('my', '/otn/view/index.html', '个人中心') +
      '</ul></div>';
    return loginConf().then(function (json) {
      var data = (json && json.data) || {};
      var slot = document.getElementById('sim_user_slot');
      if (slot) {
        slot.outerHTML = headerUserHtml(data);
      }
      return data;
    });
  }

  /** Standard footer text. */
  function renderFooter() {
    var host = document.getElementById('sim_footer');
    if (host) {
      host.innerHTML =
        '<div class="footer"><p>版权所有©2008-2026 中国铁道科学研究院集团有限公司 技术支持：铁旅科技有限公司</p>' +
        '<p>sim12306 — 测试用模拟站点</p></div>';
    }
  }

  function onReady(fn) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', fn);
    } else {
      fn();
    }
  }

  /** YYYY-MM-DD of a Date in local time. */
  function ymd(d) {
    var p = function (n) {
      return (n < 10 ? '0' : '') + n;
    };
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
  }

  window.sim = {
    esc: esc,
    jsStr: jsStr,
    param: param,
    post: post,
    get: get,
    navPost: navPost,
    cookie: cookie,
    query: query,
    dialog: dialog,
    hideDialog: hideDialog,
    firstMessage: firstMessage,
    loginConf: loginConf,
    renderHeader: renderHeader,
    renderFooter: renderFooter,
    onReady: onReady,
    ymd: ymd,
  };
})();
