// Files compiled into the binary (migrations, message catalogues, CSS, JS) by cmake/embed.cmake.
#pragma once

#include <span>
#include <string_view>

namespace haven {

struct EmbeddedFile {
    std::string_view name;  // file name, without folders
    std::string_view data;
};

std::span<const EmbeddedFile> migration_files();        // src/storage/migrations/*.sql
std::span<const EmbeddedFile> message_files();          // src/web/messages/*.txt
std::span<const EmbeddedFile> asset_files();            // src/web/assets/*
std::span<const EmbeddedFile> common_password_files();  // src/crypto/common_passwords.txt

}  // namespace haven
