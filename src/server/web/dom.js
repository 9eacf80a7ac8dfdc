// Small DOM helpers shared by the page's modules.

/**
 * Creates an element. String children become text nodes (never HTML); the `html` attribute sets
 * innerHTML and is only ever given renderMarkdown output. false/null/undefined attributes and
 * children are skipped, so conditionals can be written inline.
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') element.className = value;
    else if (name === 'html') element.innerHTML = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** Whether the page is scrolled (nearly) to the bottom, so new messages should keep it there. */
export function isNearBottom() {
  const page = document.scrollingElement;
  return page.scrollHeight - (page.scrollTop + window.innerHeight) < 160;
}

export function scrollToBottom() {
  window.requestAnimationFrame(() => {
    document.scrollingElement.scrollTop = document.scrollingElement.scrollHeight;
  });
}

export const prefersReducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;
