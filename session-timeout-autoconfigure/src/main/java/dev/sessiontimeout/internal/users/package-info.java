/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/**
 * A user's sessions in the session store: finding them by user, wherever the store keeps
 * no index of its own, revoking them, and the self-service endpoint where users see and
 * end their own. Internal: not for applications, and free to change between versions.
 */
@NullMarked
package dev.sessiontimeout.internal.users;

import org.jspecify.annotations.NullMarked;
