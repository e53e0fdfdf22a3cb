// Make the visible sidebar buttons work.
//
// pydata-sphinx-theme and sphinx-book-theme attach their handlers to
// document.querySelector(".primary-toggle") (and ".secondary-toggle"): the first such
// button in the page, which is the copy in the hidden top navbar. The button a reader
// sees, in the article header, gets no handler, so on a phone the navigation could not be
// opened. Clicks on every other copy are passed on to the wired one.
document.addEventListener("DOMContentLoaded", () => {
  for (const kind of ["primary", "secondary"]) {
    const [wired, ...others] = document.querySelectorAll(`.${kind}-toggle`);
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        button.blur();
        wired.click();
      });
    }
  }
});
