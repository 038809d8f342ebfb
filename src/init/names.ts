// Names made from headers: logical column names and ids (slug), and labels (humanize). Pure.

/** A logical column or id from a header: lower-case ASCII letters, digits and "_", starting with a letter. */
export function slug(header: string): string {
  const s = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return (/^[a-z]/.test(s) ? s : `c_${s}`).slice(0, 40).replace(/_+$/, '') || 'c';
}

/** A header as words for a label: "declared_monthly_revenue" → "Declared monthly revenue". */
export function humanize(header: string): string {
  const spaced = header.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!spaced) return header;
  // Keep the header's own capitals when it has some beyond the first letter ("Number of Employees", "ARR").
  const lowered = /[A-Z]/.test(spaced.slice(1)) && spaced === header ? spaced : spaced.toLowerCase();
  return lowered.charAt(0).toUpperCase() + lowered.slice(1);
}
