/* The card's look: Home Assistant's theme variables, big targets, readable on a phone. */
export const STYLE = `
  ha-card { padding: 16px; color: var(--primary-text-color); }
  .header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; }
  .name { font-size: 1.3em; font-weight: 500; flex: 1 1 auto; }
  .state { font-weight: 600; }
  .state-running { color: var(--success-color, #43a047); }
  .state-paused { color: var(--warning-color, #ffa000); }
  .reason { width: 100%; color: var(--secondary-text-color); }
  .alarm { margin: 12px 0; padding: 12px; border-radius: 12px;
    background: var(--error-color, #db4437); color: var(--text-primary-color, #fff); }
  .alarm-title { font-size: 1.3em; font-weight: 600; }
  .alarm div + div { margin-top: 4px; }
  .alarm .countdown { font-size: 1.15em; font-weight: 600; }
  .alarm a { color: inherit; font-weight: 600; }
  .path { margin: 12px 0; padding: 8px 12px; border-radius: 12px;
    background: var(--secondary-background-color, rgba(127,127,127,.1)); }
  .path .dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%; margin-right: 8px; }
  .path-clear .dot { background: var(--success-color, #43a047); }
  .path-warning .dot { background: var(--warning-color, #ffa000); }
  .path-unsafe .dot, .path-fall .dot { background: var(--error-color, #db4437); }
  .reasons { margin: 6px 0 0 20px; padding: 0; }
  .middle { display: flex; flex-wrap: wrap; align-items: center; gap: 16px; }
  .ring { position: relative; width: 140px; height: 140px; flex: 0 0 auto; }
  .ring-bar, .ring svg { width: 100%; height: 100%; }
  .ring svg { transform: rotate(-90deg); }
  .ring circle { fill: none; stroke-width: 10; }
  .ring .track { stroke: var(--divider-color, rgba(127,127,127,.3)); }
  .ring .bar { stroke: var(--primary-color, #03a9f4); stroke-linecap: round; }
  .ring-text { position: absolute; inset: 0; display: flex; flex-direction: column;
    align-items: center; justify-content: center; }
  .big { font-size: 2em; font-weight: 600; }
  .small { font-size: .85em; color: var(--secondary-text-color); }
  .direction { font-size: 1.5em; font-weight: 600; }
  .dir-backward { color: var(--primary-color, #03a9f4); }
  .controls { display: flex; flex-wrap: wrap; gap: 8px; margin: 16px 0 8px; }
  .btn { flex: 1 1 120px; min-height: 56px; font-size: 1.2em; border-radius: 14px; cursor: pointer;
    border: 1px solid var(--divider-color, #ccc); background: var(--card-background-color, #fff);
    color: var(--primary-text-color); }
  .btn.primary { background: var(--primary-color, #03a9f4); color: var(--text-primary-color, #fff);
    border-color: transparent; }
  .btn.danger { background: var(--error-color, #db4437); color: #fff; border-color: transparent; }
  .btn[disabled] { cursor: not-allowed; opacity: .45; }
  .blocked { color: var(--secondary-text-color); margin: 4px 0; }
  .error { color: var(--error-color, #db4437); margin: 4px 0; }
  .stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(110px, 1fr)); gap: 8px; margin-top: 8px; }
  .value { font-size: 1.1em; font-weight: 500; }
  .export { display: inline-block; margin-top: 12px; color: var(--primary-color, #03a9f4); }
`;
