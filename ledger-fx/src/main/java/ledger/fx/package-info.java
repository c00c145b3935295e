/** FX rates, routing, quotes and conversion. See docs/fx.md. */
package ledger.fx;
