global using Cloudstate.Es.Journal;
