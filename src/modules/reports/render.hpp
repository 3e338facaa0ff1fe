// A released report as people read it, and its outputs: the page's SVG charts, CSV, XLSX (libxlsxwriter) and PDF
// (Cairo + Pango, so Cyrillic shapes). Every text here is already in the report's language; a hidden figure carries
// no value at all, so no output can leak one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace haven::reports {

struct View {
    struct Row {
        std::string label;                          // "Legal cases opened — Paris", or the indicator's total
        std::vector<std::optional<int64_t>> cells;  // one per column; nullopt: hidden
        bool total = false;                         // a total over sites (drawn in the charts, bold in tables)
        std::string place;                          // "Paris", "These sites together": the row within its group (pages, charts)
    };
    struct Group {
        std::string indicator;  // "Legal cases opened"
        std::vector<Row> rows;  // one per site, then the total over sites (one row only when one site)
    };
    std::string title;                 // "Q1 2027 — Fondation X"
    std::string subtitle;              // "January–March 2027 · Paris, Lyon · approved 2027-04-03"
    std::string first_column;          // "Indicator"
    std::vector<std::string> columns;  // "Jan 2027", "Feb 2027", "Mar 2027", "Total"
    std::vector<Group> groups;
    std::string hidden_mark;   // what a hidden figure shows: "<10" or "·"
    std::string note;          // "Figures under 10, and figures that would reveal them, are hidden (·)."
    std::string chart_hidden;  // the text alternative's word for a hidden bar: "hidden"
};

// CSV (text/csv's safe writer: no cell starts a formula): one line per row, the hidden mark in hidden cells.
std::string render_csv(const View& view);

// One SVG bar chart per group of the view, drawing its total row over the columns but the last ("Total"): a
// hidden figure is an empty, dashed bar labelled with the hidden mark. Each SVG has role="img", a <title> and a
// <desc> that say every value (the text alternative); it scales to its container (viewBox, no fixed width) and
// prints in black on white.
std::vector<std::string> render_charts(const View& view);

// An XLSX workbook: one sheet, the title, the subtitle, the table (numbers as numbers, hidden cells as the mark),
// the note. Written through a private temporary file that is removed before returning.
Result<std::string> render_xlsx(const View& view);

// A PDF (A4, landscape when the columns need it): title, subtitle, the table with repeated headers across pages,
// the note, then the charts. Text through Pango, so any script shapes.
Result<std::string> render_pdf(const View& view);

}  // namespace haven::reports
